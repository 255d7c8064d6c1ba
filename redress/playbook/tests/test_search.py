"""Full-text search of the standard answers. The same tests run on SQLite (FTS5, bm25)
and, with DATABASE_URL set, on PostgreSQL (tsvector, GIN, ts_rank)."""

import pytest
from django.db import connection

from redress.accounts.models import Organisation
from redress.playbook import search
from redress.playbook.models import Article
from redress.playbook.selectors import article_search, public_filters
from redress.playbook.services import article_delete, article_update

pytestmark = pytest.mark.django_db

EVERYTHING = search.Filters(any_organisation=True)


@pytest.fixture
def answers(write_article) -> dict[str, Article]:
    return {
        "refund": write_article(
            title="退款多久到账", question="申请退款以后，钱多久能退回来？",
            answer="退款按原支付方式退回，一般 1 到 3 个工作日到账，银行卡最长 7 个工作日。",
            tags="退款, 到账, 退钱",
        ),
        "points": write_article(
            title="会员积分规则", question="积分怎么算？",
            answer="每消费 1 元积 1 分，积分不能兑换现金；退款订单的积分会被扣回。",
        ),
        "aircon": write_article(
            title="房间空调不制冷怎么办", question="空调开了很久还是热",
            answer="请先确认空调在制冷模式、温度低于室温；仍不制冷请拨打前台，"
                   "工程部 15 分钟内上门。",
            tags="空调, 维修",
        ),
        "parking": write_article(
            title="停车场收费标准", question="小区停车怎么收费？",
            answer="业主月卡每月 300 元，访客前 30 分钟免费。", tags="停车",
        ),
        "wifi": write_article(
            title="Wi-Fi password", question="What is the Wi-Fi password in my room?",
            answer="The Wi-Fi network and password are printed on your key card sleeve.",
            language="en", tags="internet, wireless",
        ),
    }


def _titles(query: str, filters: search.Filters = EVERYTHING) -> list[str]:
    return [a.title for a in article_search(query=query, filters=filters)]


def test_the_engine_in_use_is_the_databases_own():
    if connection.vendor == "sqlite":
        assert search.fts5_available()
        assert search._fts_table_exists()
    else:
        assert connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'playbook_article_search_gin'"
            )
            [(definition,)] = cursor.fetchall()
        assert "gin" in definition.lower() and "to_tsvector" in definition


def test_the_best_match_comes_first(answers):
    found = _titles("退款什么时候能到账？")
    assert found[0] == "退款多久到账"
    # The article that only mentions refunds in passing is found, below.
    assert found.index("会员积分规则") > 0
    assert "停车场收费标准" not in found


def test_a_word_in_the_title_outranks_the_same_word_in_a_body(write_article):
    body_only = write_article(title="会员权益", answer="会员可以免费停车两小时。")
    in_title = write_article(title="停车优惠", answer="凭消费小票可减免费用。")
    found = article_search(query="停车", filters=EVERYTHING)
    assert [a.pk for a in found] == [in_title.pk, body_only.pk]


def test_a_complaint_finds_its_answer(answers):
    complaint = "我住的 1208 房间，空调开了两个小时还是不制冷，热得根本睡不着！！"
    assert _titles(complaint)[0] == "房间空调不制冷怎么办"


def test_english_words_are_found_whatever_their_case(answers):
    assert _titles("WIFI PASSWORD?")[0] == "Wi-Fi password"
    assert _titles("wireless")[0] == "Wi-Fi password"


def test_no_match_is_an_empty_list(answers):
    assert _titles("火星探测器") == []
    assert _titles("spaceship") == []


@pytest.mark.parametrize("query", ["", "   ", "？！。，", "...,,,", "的", "the"])
def test_a_query_without_words_finds_nothing(answers, query):
    assert _titles(query) == []


@pytest.mark.parametrize("query", [
    '"', "*", '退款"', "退款*", '"退款" AND', "NEAR(退款 到账)", "title:退款", "退款 OR",
    "^退款", "'; DROP TABLE playbook_article; --", "退款 & 到账 | !", "(((", "退款:*",
])
def test_search_syntax_in_a_query_is_just_text(answers, query):
    found = _titles(query)
    if "退款" in query:
        assert found[0] == "退款多久到账"
    assert Article.objects.count() == 5


def test_only_published_answers_are_found(answers, write_article):
    write_article(title="退款到账特别说明", answer="退款到账草稿", published=False)
    assert "退款到账特别说明" not in _titles("退款到账")


def test_customers_find_only_public_answers_in_their_language(answers, write_article):
    write_article(title="退款内部处理口径", answer="退款到账超过 7 天的，主管可以先行垫付。",
                  public=False)
    staff = _titles("退款到账")
    public = _titles("退款到账", public_filters("zh-hans"))
    assert "退款内部处理口径" in staff
    assert "退款内部处理口径" not in public
    assert public[0] == "退款多久到账"
    assert _titles("password", public_filters("zh-hans")) == []
    assert _titles("password", public_filters("en")) == ["Wi-Fi password"]


def test_an_organisations_answers_stay_with_it(write_article):
    hotel = Organisation.objects.create(name="悦来酒店", industry="酒店")
    flats = Organisation.objects.create(name="安居物业", industry="物业管理")
    mine = write_article(title="押金退还", answer="押金在退房时退还。", organisation=hotel)
    theirs = write_article(title="押金规定", answer="装修押金在验收后退还。", organisation=flats)
    shared = write_article(title="押金发票", answer="押金不开发票。")
    found = article_search(query="押金", filters=search.Filters(organisation_id=hotel.pk))
    assert {a.pk for a in found} == {mine.pk, shared.pk}
    assert theirs.pk not in {a.pk for a in found}


def test_the_index_follows_edits_and_deletions(answers):
    parking = answers["parking"]
    assert "停车场收费标准" not in _titles("充电桩")
    article_update(article=parking, actor=None, answer="新能源车位配有充电桩，每度 1.2 元。")
    assert _titles("充电桩") == ["停车场收费标准"]
    article_delete(article=parking, actor=None)
    assert _titles("充电桩") == []
    # A new answer may reuse nothing of the deleted one's index entry.
    assert _titles("停车") == []


def test_unpublishing_hides_an_answer_at_once(answers):
    article_update(article=answers["refund"], actor=None, published=False)
    assert "退款多久到账" not in _titles("退款到账")


def test_ranking_without_a_full_text_engine_agrees(answers):
    # What an SQLite built without FTS5 falls back to.
    terms = search.query_terms("退款什么时候能到账？")
    ids = search._python(terms, EVERYTHING, 10)
    assert ids[0] == answers["refund"].pk
    assert answers["points"].pk in ids
    assert answers["parking"].pk not in ids
    assert search._python(search.query_terms("火星探测器"), EVERYTHING, 10) == []


def test_question_words_do_not_decide_the_ranking(write_article):
    how_long = write_article(title="投诉处理需要多久", answer="我们会尽快联系您。")
    refund = write_article(
        title="退房多扣了房费", answer="多扣的房费原路退回，1 到 3 个工作日到账。", tags="退款"
    )
    found = article_search(query="退款多久到账？", filters=EVERYTHING)
    assert [a.pk for a in found] == [refund.pk]
    assert how_long.pk not in [a.pk for a in found]
