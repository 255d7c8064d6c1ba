"""Demo data of the knowledge base: the standard answers (标准问答) of the three demo
organisations, written through `playbook.services.article_create` as a supervisor would.

`demo_load_answers(organisations=…, now=…)` writes about twenty answers, mostly in
Chinese, some in English: for each organisation those of its industry (餐饮 restaurant,
酒店 hotel, 物业管理 property management, recognised by `Organisation.industry`), and two
that hold for every organisation. Most are public (on /help/), some are for staff only,
one is an unpublished draft. Each is dated some days before `now`. Answers that exist
already (same organisation and title) are left alone, so loading twice adds nothing.
Wire it into `redress demo` after the organisations exist::

    from redress.playbook.demo_answers import demo_load_answers
    demo_load_answers(organisations=Organisation.objects.all(), now=clock.now())

Texts are data in the customer's language, not interface strings.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from redress.accounts.models import Organisation
from redress.cases.models import Scenario
from redress.common import clock
from redress.playbook.models import Article
from redress.playbook.services import article_create

RESTAURANT, HOTEL, PROPERTY, EVERYONE = "餐饮", "酒店", "物业管理", ""


@dataclass(frozen=True)
class _Answer:
    industry: str
    title: str
    question: str
    answer: str
    tags: str = ""
    language: str = "zh"
    scenario: str = ""
    public: bool = True
    published: bool = True


ANSWERS: tuple[_Answer, ...] = (
    # Restaurant (川味坊餐饮连锁)
    _Answer(RESTAURANT, "上菜太慢怎么办", "点的菜等了很久还没上，可以催吗？",
            "非常抱歉让您久等。请直接告诉服务员或扫桌上的二维码催单，我们会优先为您出菜；"
            "超过 30 分钟未上的菜品，可以免单或退菜。", "催菜, 等太久, 上菜慢",
            scenario=Scenario.PROCESS_SYSTEM),
    _Answer(RESTAURANT, "菜品有异物如何处理", "菜里吃出了头发或异物怎么办？",
            "非常抱歉！请保留菜品并告诉店长，我们会立即为您重做或退菜，并对这道菜免单；"
            "我们会检查后厨流程，处理结果会告诉您。", "异物, 头发, 不干净, 食品安全",
            scenario=Scenario.PRODUCT_DEFECT),
    _Answer(RESTAURANT, "外卖少送或送错", "外卖少了一份菜/送错了怎么办？",
            "很抱歉给您添麻烦。请在订单页点“联系商家”或拨打门店电话，我们核实后会在 30 分钟内"
            "为您补送，或退回少送菜品的金额。", "外卖, 少送, 送错, 漏单",
            scenario=Scenario.PROCESS_SYSTEM),
    _Answer(RESTAURANT, "发票怎么开", "吃完饭怎么开发票？",
            "结账时告诉收银员抬头和税号即可开具电子发票；也可在小程序“我的订单”中自助开票，"
            "发票会发送到您的邮箱。", "发票, 开票, 报销"),
    _Answer(RESTAURANT, "会员积分规则", "会员积分怎么算，能抵现吗？",
            "每消费 1 元积 1 分，100 分可在下次消费时抵 1 元；退款订单的积分会被扣回。",
            "会员, 积分, 抵扣"),
    _Answer(RESTAURANT, "店长可当场给予的补偿", "顾客投诉上菜慢或菜品问题时，店长能给什么？",
            "店长当场可给：退菜或重做、单道菜免单、赠送小菜或饮品、100 元以内代金券。"
            "超出的先记录在处理单，报区域经理审批，不要当场承诺。", "补偿, 权限, 店长",
            public=False),
    _Answer(RESTAURANT, "The dishes took too long", "My food is taking very long. What can I do?",
            "We are sorry for the wait. Please tell your server or scan the QR code on the table "
            "to chase your order; dishes not served within 30 minutes can be cancelled free of "
            "charge.", "slow, waiting, late food", language="en",
            scenario=Scenario.PROCESS_SYSTEM),
    # Hotel (悦来酒店)
    _Answer(HOTEL, "房间空调不制冷怎么办", "房间空调开了很久还是热怎么办？",
            "请先确认空调在制冷模式、温度低于室温；仍不制冷请拨打前台 0，工程部 15 分钟内上门，"
            "修不好会为您换房。", "空调, 不制冷, 太热, 维修", scenario=Scenario.PRODUCT_DEFECT),
    _Answer(HOTEL, "退房多扣了房费", "退房时发现多扣了一晚的房费，怎么退？",
            "非常抱歉！多扣的房费会在核实后原路退回，一般 1 到 3 个工作日到账，信用卡预授权"
            "最长 7 个工作日解冻。前台可以为您打印账单明细。", "退款, 多扣, 房费, 预授权",
            scenario=Scenario.PROCESS_SYSTEM),
    _Answer(HOTEL, "早餐时间和地点", "早餐几点开始，在哪里吃？",
            "早餐在二楼餐厅，工作日 6:30–10:00，周末和节假日 7:00–10:30。", "早餐, 餐厅, 时间"),
    _Answer(HOTEL, "延迟退房", "可以晚一点退房吗？",
            "标准退房时间为中午 12:00。可以向前台申请延迟到 14:00，会员可免费延迟；"
            "超过 18:00 按一晚计费。", "延迟退房, 退房时间"),
    _Answer(HOTEL, "房间噪音", "隔壁太吵睡不着怎么办？",
            "非常抱歉打扰您休息。请拨打前台，我们会马上提醒相关客人；如果仍然吵闹，"
            "我们会为您免费换到安静的房间。", "噪音, 吵, 换房", scenario=Scenario.PRODUCT_DEFECT),
    _Answer(HOTEL, "前台可给予的补偿", "客人投诉房间问题时前台能给什么？",
            "前台当场可给：免费换房或升级（同价位有房时）、免费早餐、延迟退房、200 元以内的"
            "房费减免。超出的填写处理单报值班经理。", "补偿, 权限, 前台", public=False),
    _Answer(HOTEL, "Wi-Fi password", "What is the Wi-Fi password in my room?",
            "The Wi-Fi network name and password are printed on your key card sleeve. If you "
            "cannot connect, call the front desk on 0.", "internet, wireless, wifi", language="en"),
    _Answer(HOTEL, "Charged twice at check-out", "I was charged for an extra night. How do I get "
            "it back?", "We are sorry. The extra charge is refunded to the card you paid with, "
            "usually within 1 to 3 working days; a credit card pre-authorisation is released "
            "within 7 working days.", "refund, charged twice, bill", language="en",
            scenario=Scenario.PROCESS_SYSTEM),
    # Property management (安居物业)
    _Answer(PROPERTY, "家里漏水找谁", "天花板漏水了，是楼上的问题，该找谁？",
            "请直接拨打客服中心，工程维修部会在 2 小时内上门查看，由我们负责联系楼上住户、"
            "找出漏点并跟进维修，您不用自己去协调。", "漏水, 渗水, 楼上, 维修",
            scenario=Scenario.PRODUCT_DEFECT),
    _Answer(PROPERTY, "停车场收费标准", "小区停车怎么收费？",
            "业主月卡每月 300 元；访客车辆前 30 分钟免费，之后每小时 5 元，每天最高 30 元。",
            "停车, 月卡, 访客车辆, 收费"),
    _Answer(PROPERTY, "物业费怎么交", "物业费可以在哪里交？能开发票吗？",
            "可以在物业 App、微信公众号或客服中心缴纳，缴费后可在 App 中申请电子发票。",
            "物业费, 缴费, 发票"),
    _Answer(PROPERTY, "装修押金退还", "装修押金什么时候退？",
            "装修完工后预约验收，验收合格 7 个工作日内退还押金。", "装修, 押金, 验收"),
    _Answer(PROPERTY, "Water leaking from upstairs", "Water is coming through my ceiling from "
            "the flat upstairs. Who do I call?", "Call the service centre: our engineers come "
            "within 2 hours, contact the neighbours upstairs for you and see the repair through.",
            "leak, water, ceiling, repair", language="en", scenario=Scenario.PRODUCT_DEFECT),
    # Every organisation
    _Answer(EVERYONE, "投诉处理需要多久", "我投诉以后多久会有人联系我？",
            "我们会在收到投诉后尽快联系您，并告诉您处理进度和预计完成时间。您可以随时用"
            "投诉回执中的链接查看进度。", "投诉, 多久, 进度, 回复"),
    _Answer(EVERYONE, "超出权限的要求怎么答复", "顾客要求的赔偿超出自己的权限怎么办？",
            "不要当场拒绝，也不要承诺。告诉顾客您会马上为他申请，约定答复时间；在系统中提出"
            "补救方案，超出权限的会自动交给主管审批。", "权限, 审批, 赔偿, 承诺", public=False),
    _Answer(EVERYONE, "节假日服务时间（草稿）", "节假日有人处理投诉吗？",
            "草稿：节假日期间客服中心照常值班。", "节假日", published=False),
)


def demo_load_answers(
    *, organisations: Iterable[Organisation], now: datetime | None = None
) -> list[Article]:
    """Write the demo's standard answers; returns the ones written."""
    now = now or clock.now()
    by_industry = {org.industry: org for org in organisations}
    written: list[Article] = []
    for index, spec in enumerate(ANSWERS):
        organisation = by_industry.get(spec.industry) if spec.industry else None
        if spec.industry and organisation is None:
            continue
        if Article.objects.filter(organisation=organisation, title=spec.title).exists():
            continue
        # Spread over the last weeks, as a knowledge base grows.
        with clock.travel_to(now - timedelta(days=40 - index, hours=index)):
            written.append(article_create(
                actor=None, title=spec.title, question=spec.question, answer=spec.answer,
                language=spec.language, scenario=spec.scenario, tags=spec.tags,
                published=spec.published, public=spec.public, organisation=organisation,
            ))
    return written
