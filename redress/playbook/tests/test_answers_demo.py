"""The demo's standard answers: written through the services, searchable, and free of the
wording an agent would be stopped for."""

import pytest

from redress.accounts.models import Organisation
from redress.common import clock
from redress.playbook import search
from redress.playbook.demo_answers import demo_load_answers
from redress.playbook.models import Article
from redress.playbook.selectors import article_search, public_filters
from redress.playbook.services import message_wording_check

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations(db):
    return [
        Organisation.objects.create(name="川味坊餐饮连锁", industry="餐饮"),
        Organisation.objects.create(name="悦来酒店", industry="酒店"),
        Organisation.objects.create(name="安居物业", industry="物业管理"),
    ]


def test_about_twenty_answers_mostly_chinese_once(organisations):
    written = demo_load_answers(organisations=organisations, now=clock.now())
    assert 20 <= len(written) == Article.objects.count()
    languages = [a.language for a in written]
    assert languages.count("zh") > languages.count("en") >= 4
    assert {a.organisation for a in written} == {*organisations, None}
    assert Article.objects.filter(public=False).exists()
    assert Article.objects.filter(published=False).exists()
    assert demo_load_answers(organisations=organisations, now=clock.now()) == []


def test_each_organisation_finds_its_own_answers(organisations):
    demo_load_answers(organisations=organisations, now=clock.now())
    flats = organisations[2]
    found = article_search(
        query="楼上漏水到我家天花板了", filters=search.Filters(organisation_id=flats.pk)
    )
    assert found[0].title == "家里漏水找谁"
    assert all(a.organisation in (flats, None) for a in found)
    public = article_search(query="wifi", filters=public_filters("en"))
    assert public[0].title == "Wi-Fi password"


def test_no_demo_answer_would_be_stopped_by_the_wording_check(organisations, default_phrases):
    demo_load_answers(organisations=organisations, now=clock.now())
    for article in Article.objects.all():
        assert message_wording_check(article.answer, article.language) == [], article.title
