"""What the demo is made of: three organisations, their staff, and the raw material the
demo loader combines into complaints and the staff's answers to them.

Complaint texts are templates with `{slots}` filled per case from the pools below, then
extended with sentences that carry an emotion, a want and sometimes a risk, so that no two
cases read alike and search or grouping has real work to do. Everything here is invented
for the demo; the people, phone numbers and orders do not exist. Texts are data in the
customer's own language, not interface strings, so they are not marked for translation.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from redress.accounts.models import Role
from redress.cases.models import Channel

# Printed on the console with a "demo only" warning. Long enough and uncommon enough for
# Django's MinimumLength and CommonPassword validators.
DEMO_PASSWORD = "redress-demo-2026"  # noqa: S105 - a published demo password, by design

RESTAURANT, HOTEL, PROPERTY = "restaurant", "hotel", "property"


@dataclass(frozen=True)
class DepartmentSpec:
    key: str
    name: str
    # Channels complaints reach this department by; `web` and `api` only where the public
    # form and integrations deliver (the default intake department).
    channels: tuple[str, ...]
    default_intake: bool = False
    # A hotel front desk never closes; other teams answer in the daytime.
    round_the_clock: bool = False


@dataclass(frozen=True)
class OrganisationSpec:
    key: str
    name: str
    industry: str
    departments: tuple[DepartmentSpec, ...]


ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    OrganisationSpec(RESTAURANT, "川味坊餐饮连锁", "餐饮", (
        DepartmentSpec("service_centre", "客服中心",
                       (Channel.WEB, Channel.API, Channel.PHONE, Channel.WECHAT, Channel.EMAIL,
                        Channel.LETTER),
                       default_intake=True),
        DepartmentSpec("chunxi", "春熙路店",
                       (Channel.WALK_IN, Channel.COMMENT_BOOK, Channel.PHONE)),
        DepartmentSpec("tianfu", "天府广场店",
                       (Channel.WALK_IN, Channel.COMMENT_BOOK, Channel.PHONE)),
    )),
    OrganisationSpec(HOTEL, "悦来酒店", "酒店", (
        DepartmentSpec("front_desk", "前台",
                       (Channel.WALK_IN, Channel.PHONE, Channel.EMAIL, Channel.WECHAT,
                        Channel.LETTER),
                       round_the_clock=True),
        DepartmentSpec("housekeeping", "客房部", (Channel.COMMENT_BOOK, Channel.PHONE)),
        DepartmentSpec("engineering", "工程部", (Channel.PHONE,), round_the_clock=True),
    )),
    OrganisationSpec(PROPERTY, "安居物业", "物业管理", (
        DepartmentSpec("service_centre", "客户服务中心",
                       (Channel.PHONE, Channel.WALK_IN, Channel.WECHAT, Channel.LETTER,
                        Channel.COMMENT_BOOK, Channel.EMAIL)),
        DepartmentSpec("engineering", "工程维修部", (Channel.PHONE, Channel.WECHAT)),
        DepartmentSpec("security", "秩序维护部", (Channel.WALK_IN, Channel.PHONE)),
    )),
)


@dataclass(frozen=True)
class StaffSpec:
    username: str
    name: str
    name_en: str  # how they sign messages to English-speaking customers
    role: str
    organisation: str = ""
    department: str = ""


# agent1 and supervisor1 work in the default intake department (DESIGN.md "Contracts");
# admin and quality1 belong to no department because they see all of them.
STAFF: tuple[StaffSpec, ...] = (
    StaffSpec("admin", "系统管理员", "Administrator", Role.ADMIN),
    StaffSpec("quality1", "陈静", "Jing Chen", Role.QUALITY),
    StaffSpec("supervisor1", "王建国", "Jianguo Wang", Role.SUPERVISOR, RESTAURANT,
              "service_centre"),
    StaffSpec("agent1", "张敏", "Min Zhang", Role.AGENT, RESTAURANT, "service_centre"),
    StaffSpec("agent2", "李娜", "Na Li", Role.AGENT, RESTAURANT, "service_centre"),
    StaffSpec("supervisor2", "赵丽", "Li Zhao", Role.SUPERVISOR, RESTAURANT, "chunxi"),
    StaffSpec("agent3", "刘洋", "Yang Liu", Role.AGENT, RESTAURANT, "chunxi"),
    StaffSpec("agent4", "陈晨", "Chen Chen", Role.AGENT, RESTAURANT, "tianfu"),
    StaffSpec("agent5", "杨帆", "Fan Yang", Role.AGENT, RESTAURANT, "tianfu"),
    StaffSpec("supervisor3", "郑雪", "Xue Zheng", Role.SUPERVISOR, HOTEL, "front_desk"),
    StaffSpec("agent6", "周婷", "Ting Zhou", Role.AGENT, HOTEL, "front_desk"),
    StaffSpec("agent7", "吴昊", "Hao Wu", Role.AGENT, HOTEL, "front_desk"),
    StaffSpec("agent8", "孙悦", "Yue Sun", Role.AGENT, HOTEL, "housekeeping"),
    StaffSpec("agent9", "马超", "Chao Ma", Role.AGENT, HOTEL, "engineering"),
    StaffSpec("supervisor4", "何军", "Jun He", Role.SUPERVISOR, PROPERTY, "service_centre"),
    StaffSpec("agent10", "黄磊", "Lei Huang", Role.AGENT, PROPERTY, "service_centre"),
    StaffSpec("agent11", "林芳", "Fang Lin", Role.AGENT, PROPERTY, "service_centre"),
    StaffSpec("supervisor5", "罗斌", "Bin Luo", Role.SUPERVISOR, PROPERTY, "engineering"),
    StaffSpec("agent12", "高峰", "Feng Gao", Role.AGENT, PROPERTY, "engineering"),
    StaffSpec("agent13", "谢涛", "Tao Xie", Role.AGENT, PROPERTY, "security"),
)

# The takeaway platform's integration posts complaints through the API as this account. It
# has no password (nobody signs in as it) and no department, so what it sends lands in the
# default intake department and it never shows up among the people to hand a case to.
INTEGRATION = StaffSpec("takeaway_platform", "外卖平台接口", "Takeaway platform", Role.AGENT)


# --- slot pools -------------------------------------------------------------------------
# Pairs are (Chinese, English).

BRANCHES = (
    ("春熙路店", "Chunxi Road"), ("天府广场店", "Tianfu Square"), ("高新店", "Hi-Tech Zone"),
    ("太古里店", "Taikoo Li"), ("双流机场店", "Shuangliu Airport"),
)
# The branch each branch department stands for.
BRANCH_OF_DEPARTMENT = {"chunxi": "春熙路店", "tianfu": "天府广场店"}
DISHES = (
    ("水煮鱼", "boiled fish in chili oil"), ("宫保鸡丁", "kung pao chicken"),
    ("麻婆豆腐", "mapo tofu"), ("回锅肉", "twice-cooked pork"),
    ("酸菜鱼", "pickled cabbage fish"), ("毛血旺", "spicy blood stew"),
    ("夫妻肺片", "sliced beef in chili sauce"), ("担担面", "dan dan noodles"),
    ("口水鸡", "poached chicken in chili oil"), ("干煸四季豆", "dry-fried green beans"),
    ("鱼香肉丝", "fish-fragrant pork"), ("东坡肘子", "braised pork knuckle"),
)
MEALS = (("午饭", "lunch"), ("晚饭", "dinner"))
DAYS = (
    ("昨天", "yesterday"), ("今天", "today"), ("前天", "the day before yesterday"),
    ("上周六", "last Saturday"), ("周日", "on Sunday"),
)
ROOM_TYPES = (
    ("高级大床房", "superior king room"), ("豪华双床房", "deluxe twin room"),
    ("行政套房", "executive suite"), ("商务大床房", "business king room"),
)
COMMUNITIES = (("锦城花园", "Jincheng Garden"), ("南湖小区", "Nanhu Estate"), ("翠苑", "Cuiyuan"))

SURNAMES = (
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
    ("杨", "yang"), ("赵", "zhao"), ("黄", "huang"), ("周", "zhou"), ("吴", "wu"),
    ("徐", "xu"), ("孙", "sun"), ("胡", "hu"), ("朱", "zhu"), ("高", "gao"), ("林", "lin"),
    ("何", "he"), ("郭", "guo"), ("马", "ma"), ("罗", "luo"), ("梁", "liang"), ("宋", "song"),
    ("郑", "zheng"), ("谢", "xie"), ("韩", "han"), ("唐", "tang"), ("冯", "feng"),
    ("董", "dong"), ("程", "cheng"), ("曹", "cao"),
)
GIVEN_FEMALE = (
    ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("婷", "ting"),
    ("雪梅", "xuemei"), ("晓燕", "xiaoyan"), ("佳怡", "jiayi"), ("欣然", "xinran"),
    ("慧", "hui"), ("琳", "lin"), ("秀英", "xiuying"), ("梦瑶", "mengyao"),
)
GIVEN_MALE = (
    ("伟", "wei"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"),
    ("勇", "yong"), ("杰", "jie"), ("志明", "zhiming"), ("浩然", "haoran"), ("子轩", "zixuan"),
    ("建华", "jianhua"), ("鹏", "peng"), ("国庆", "guoqing"), ("宇航", "yuhang"),
)
EN_FIRST_FEMALE = ("Emily", "Sarah", "Anna", "Laura", "Olivia", "Maria", "Sophie", "Hannah")
EN_FIRST_MALE = ("James", "David", "Michael", "Thomas", "Daniel", "Lukas", "Kenji", "Pierre")
EN_SURNAMES = (
    "Carter", "Miller", "Schmidt", "Brown", "Wilson", "Dubois", "Rossi", "Tanaka", "Nguyen",
    "Johnson", "Evans", "Fischer", "Kim", "Walker", "Novak", "Larsen",
)
# Mobile prefixes of the three Chinese carriers; the rest of the number is random.
MOBILE_PREFIXES = (
    "139", "138", "137", "136", "135", "134", "150", "151", "152", "157", "158", "159",
    "182", "183", "187", "188", "130", "131", "132", "155", "156", "185", "186", "133",
    "153", "180", "181", "189", "177", "199",
)


# --- sentences appended to a complaint ----------------------------------------------------

EMOTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "angry": (
        ("太过分了！", "这就是你们的服务？！", "真的气死我了！", "简直不可理喻！"),
        ("This is unacceptable!", "I am absolutely furious.", "Frankly, this is outrageous."),
    ),
    "aggrieved": (
        ("我们是老顾客了，这样对待我们太让人寒心了。",
         "好好说话没人理，难道非要闹起来才有人管吗？",
         "从头到尾没有一个人跟我们说声对不起。"),
        ("We have been loyal customers for years and feel completely ignored.",
         "Nobody even said sorry."),
    ),
    "anxious": (
        ("现在很着急，希望尽快给个说法。", "很担心后面还会出问题。", "心里一直不踏实。"),
        ("I am really worried about this.", "I need to know what happens next, and soon."),
    ),
    "humorous": (
        ("这体验真是让人“终生难忘”。", "服务真是让人“刮目相看”啊。",
         "本来心情挺好的，现在好了，有故事可以讲了。"),
        ("Quite an experience, I must say, just not the kind I was hoping for.",
         "I suppose it will make a good story one day."),
    ),
    "calm": (
        ("特此反映，希望改进。", "情况就是这样，麻烦核实一下。", ""),
        ("I hope you can look into it.", "Thank you for looking into this.", ""),
    ),
}
EMOTION_WEIGHTS = {"angry": 3, "aggrieved": 2, "anxious": 2, "humorous": 1, "calm": 3}

WANTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "refund": (("希望退还这部分费用。", "这笔钱要求退回。"), ("I would like a refund.",)),
    "compensation": (
        ("希望给一个合理的补偿。", "至少要给个说法和补偿吧。"),
        ("I expect reasonable compensation.",),
    ),
    "apology": (("希望你们正式道个歉。", "我要一个真诚的道歉。"),
                ("I would like a proper apology.",)),
    "explanation": (("请给我一个解释，到底是怎么回事。", "希望说清楚原因。"),
                    ("Please explain what went wrong.",)),
    "fix_fast": (("请尽快处理！", "麻烦今天之内给我回复。"),
                 ("Please sort this out as soon as possible.",)),
    "accountability": (
        ("希望对相关员工严肃处理，别再有下一次。", "希望你们好好整改。"),
        ("The staff involved should be held accountable.",),
    ),
    "redo": (("希望重新做一份。",), ("I would like the dish made again.",)),
    "repair": (("请尽快派人来修。", "希望马上安排维修。"),
               ("Please send someone to fix it today.",)),
}

RISKS: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "legal_media": {
        RESTAURANT: (("如果得不到合理处理，我会打12315投诉，也会在点评网站上曝光。",
                      "再不处理我就找消协了。"),
                     ("If this is not resolved I will report it to the consumer association "
                      "and post a review online.",)),
        HOTEL: (("再不处理我就在订房网站上写差评，并向消协投诉。",),
                ("I will be writing a review on the booking site and contacting the "
                 "consumer association.",)),
        PROPERTY: (("再拖下去我就向住建部门和12345热线反映。", "已经咨询律师了。"),
                   ("I have spoken to a lawyer about this.",)),
    },
    "churn": {
        RESTAURANT: (("以后不会再来了。", "我们家以后聚餐换别家了。"),
                     ("We will not be coming back.",)),
        HOTEL: (("以后出差不会再住你们酒店了。",), ("I will not be staying with you again.",)),
        PROPERTY: (("物业再这样，我们就联合业主委员会换物业。",),
                   ("The owners are talking about changing the management company.",)),
    },
    "repeat": {
        RESTAURANT: (("这已经不是第一次了，上个月也发生过同样的事。",),
                     ("This is the second time this has happened.",)),
        HOTEL: (("上次入住就反映过同样的问题，一直没改。",),
                ("I reported exactly the same problem on my last stay.",)),
        PROPERTY: (("这个问题已经反映过好几次了，一直没人管。",),
                   ("I have reported this several times already.",)),
    },
}


# --- scenarios ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Remedy:
    """A remedy offered, its text with an `{amount}` slot, and how the amount is chosen:
    a share of the amount at stake (a refund), or a range (a voucher), or nothing."""

    zh: str
    en: str
    low: int | None = None
    high: int | None = None
    share: str | None = None  # e.g. "1" for a full refund of the amount at stake


@dataclass(frozen=True)
class Scenario:
    key: str
    organisation: str
    departments: tuple[str, ...]
    zh: tuple[str, ...]
    en: tuple[str, ...]
    issue_zh: str
    issue_en: str
    needs_zh: tuple[str, ...]
    needs_en: tuple[str, ...]
    facts_zh: tuple[str, ...]
    facts_en: tuple[str, ...]
    remedies: tuple[Remedy, ...]
    outcome_zh: str
    outcome_en: str
    wait_zh: str
    wait_en: str
    lesson: str  # root cause and corrective action, the quality manager's note
    wants: tuple[str, ...] = ("compensation", "apology", "explanation")
    stake: tuple[int, int] | None = None
    order: str = ""  # "bill", "takeaway", "booking", "fee", "repair" or "" for none
    safety: bool = False
    kind: str = "complaint"  # complaint, inquiry, suggestion, or invalid (not a complaint)
    weight: int = 2
    channels: tuple[str, ...] = field(default=())  # narrows the department's channels


SCENARIOS: tuple[Scenario, ...] = (
    # Restaurant, dine-in.
    Scenario(
        "slow_service", RESTAURANT, ("service_centre", "chunxi", "tianfu"),
        zh=("{day}{meal}在{branch}吃饭，{people}个人点了{dish}和{dish2}，等了{minutes}分钟才上第一道"
            "热菜，催了三次服务员都说马上就好。",
            "在{branch}用餐，上菜慢得离谱！{dish}足足等了{minutes}分钟，比我们后来的桌都吃完走了，"
            "我们的菜还没上齐。",
            "{branch}{meal}，点完单{minutes}分钟只上了一个凉菜，叫服务员也没人理，最后饭没吃完就"
            "赶着走了。"),
        en=("We were a party of {people} at your {branch_en} branch for {meal_en} {day_en}. "
            "The {dish_en} took {minutes} minutes to arrive and we had to chase the staff "
            "three times.",
            "Service at {branch_en} was painfully slow: {minutes} minutes for the first hot "
            "dish, and tables that came in after us were served first."),
        issue_zh="上菜太慢", issue_en="the long wait for your food",
        needs_zh=("顾客希望店方道歉，并对等待时间给予补偿。",
                  "顾客主要想知道为什么这么慢，其次希望有补偿。"),
        needs_en=("The customer wants an apology and some compensation for the wait.",),
        facts_zh=("经查，当天{meal}{branch}满座，后厨一名厨师请假，{dish}出餐用时{minutes}分钟，"
                  "超出标准二十多分钟。",
                  "调取点单系统：该桌下单后{minutes}分钟才上第一道热菜，服务员未及时告知出餐延误。"),
        facts_en=("Kitchen records show the {dish_en} took {minutes} minutes; the kitchen was "
                  "one cook short that day.",),
        remedies=(Remedy("免收{dish}的费用，并赠送{amount}元代金券",
                         "no charge for the {dish_en} and a voucher for {amount} yuan", 50, 120),
                  Remedy("退还本单两成餐费，共{amount}元",
                         "a refund of 20% of the bill, {amount} yuan", share="0.2")),
        outcome_zh="退款/代金券已发放，顾客接受道歉。门店调整了高峰期排班。",
        outcome_en="Refund or voucher issued; the customer accepted our apology.",
        wait_zh="用餐小票或付款截图", wait_en="a photo of the receipt or payment record",
        lesson="根因：高峰期后厨人手不足，出餐延误时前厅没有主动告知。纠正措施：周末增加一名厨师，"
               "超过二十分钟未上菜由领班主动致歉并说明。",
        wants=("compensation", "apology", "explanation", "refund"),
        stake=(120, 680), order="bill", weight=5,
    ),
    Scenario(
        "hair_in_food", RESTAURANT, ("service_centre", "chunxi", "tianfu"),
        zh=("{day}在{branch}吃{dish}，吃到一半发现里面有一根长头发，恶心得吃不下去了。",
            "{branch}的{dish}里吃出头发！拍了照片，服务员只说给换一份，连句道歉都没有。",
            "在{branch}点的{dish}里有头发，而且不止一根。你们后厨的卫生到底有没有人管？"),
        en=("I found a long hair in my {dish_en} at your {branch_en} branch {day_en}. "
            "I have a photo of it.",),
        issue_zh="菜里吃出头发", issue_en="the hair in your dish",
        needs_zh=("顾客要求退掉该菜品并道歉，希望门店整改后厨卫生。",),
        needs_en=("The customer wants the dish refunded, an apology, and the kitchen checked.",),
        facts_zh=("门店已核对照片，当班配菜员未按规定佩戴发网，已停岗培训。",
                  "后厨检查发现当天一名员工帽子佩戴不规范，情况属实。"),
        facts_en=("The photo was checked: a kitchen assistant was not wearing a hair net and "
                  "has been taken off duty for retraining.",),
        remedies=(Remedy("免单该菜品并赠送{amount}元代金券",
                         "a full refund of the dish plus a voucher for {amount} yuan", 50, 100),
                  Remedy("退还该菜品费用{amount}元并由店长书面致歉",
                         "a refund of {amount} yuan for the dish and a written apology from "
                         "the branch manager", share="1")),
        outcome_zh="已退款并书面致歉，门店完成后厨着装检查。",
        outcome_en="Refund made and a written apology sent.",
        wait_zh="菜品照片", wait_en="the photo of the dish",
        lesson="根因：后厨员工未按规范佩戴发网帽子。纠正措施：开档前由厨师长逐一检查着装，纳入每日巡检。",
        wants=("refund", "redo", "apology", "accountability"),
        stake=(38, 128), order="bill", weight=4,
    ),
    Scenario(
        "cold_dish", RESTAURANT, ("service_centre", "chunxi", "tianfu"),
        zh=("{branch}的{dish}端上来就是凉的，油都凝住了，让服务员热一下，回来还是温的。",
            "{day}{meal}在{branch}，{dish}是凉的，{dish2}也不热，感觉是做好放了很久才端上来。"),
        en=("The {dish_en} we were served at {branch_en} was cold, and it was still lukewarm "
            "after we sent it back.",),
        issue_zh="菜品上桌时是凉的", issue_en="the cold dish you were served",
        needs_zh=("顾客希望重做或退掉该菜品。",),
        needs_en=("The customer wants the dish remade or refunded.",),
        facts_zh=("传菜口积压，{dish}出锅后在传菜口放置约十五分钟。",),
        facts_en=("The {dish_en} waited about fifteen minutes at the pass before it was served.",),
        remedies=(Remedy("退还{dish}的费用{amount}元", "a refund of {amount} yuan for the dish",
                         share="1"),
                  Remedy("赠送{amount}元代金券，欢迎再来品尝",
                         "a voucher for {amount} yuan for your next visit", 30, 80)),
        outcome_zh="已退还菜品费用，顾客表示理解。", outcome_en="The dish was refunded.",
        wait_zh="用餐小票", wait_en="your receipt",
        lesson="根因：传菜口积压，热菜无保温。纠正措施：增加传菜口保温灯，出锅三分钟内必须上桌。",
        wants=("redo", "refund", "compensation"),
        stake=(30, 150), order="bill", weight=3,
    ),
    Scenario(
        "wrong_bill", RESTAURANT, ("service_centre", "chunxi", "tianfu"),
        zh=("在{branch}结账时多收了{extra}元，账单上有一道我们根本没点的{dish2}。",
            "回家对账单才发现，{branch}把{dish2}算了两次，多收{extra}元，打电话过去说要查监控。",
            "{day}在{branch}消费，团购券没给核销，按原价收了，多付了{extra}元。"),
        en=("We were overcharged {extra} yuan at {branch_en}: the bill included {dish2_en}, "
            "which we never ordered.",),
        issue_zh="账单多收费", issue_en="the mistake on your bill",
        needs_zh=("顾客要求退还多收的钱，并解释原因。",),
        needs_en=("The customer wants the overcharge refunded and an explanation.",),
        facts_zh=("收银系统记录显示，服务员误将邻桌的{dish2}录入该桌，多收{extra}元属实。",
                  "核对后确认团购券未核销，按原价结算，多收{extra}元。"),
        facts_en=("The till shows a neighbouring table's {dish2_en} was entered on this bill.",),
        remedies=(Remedy("退还多收的{amount}元，并赠送一份甜品",
                         "a refund of the {amount} yuan overcharged, and a dessert on us",
                         share="1"),),
        outcome_zh="多收款项已原路退回。", outcome_en="The overcharge was refunded to the card.",
        wait_zh="付款记录截图", wait_en="a screenshot of the payment",
        lesson="根因：点单录入无复核，团购核销依赖人工。纠正措施：结账前向顾客口头确认菜品，收银系统增加团购提醒。",
        wants=("refund", "explanation"),
        stake=(28, 198), order="bill", weight=3,
    ),
    Scenario(
        "rude_waiter", RESTAURANT, ("service_centre", "chunxi", "tianfu"),
        zh=("{branch}有个服务员态度非常差，我们问了一句{dish}能不能少放辣，她直接翻白眼说“不会吃就别点”。",
            "{day}在{branch}，想加一副碗筷，服务员不耐烦地摔在桌上，还在旁边嘀咕。",
            "在{branch}排队时服务员对我老人家大呼小叫，说挡路了。"),
        en=("A waitress at {branch_en} was extremely rude when we asked whether the "
            "{dish_en} could be made less spicy.",
            "The staff at {branch_en} were dismissive and rude to my elderly parents."),
        issue_zh="服务员态度恶劣", issue_en="the way our staff treated you",
        needs_zh=("顾客最在意的是道歉，希望门店处理涉事员工。",),
        needs_en=("Above all the customer wants an apology and the staff member spoken to.",),
        facts_zh=("店长调取监控并与当班服务员谈话，确认言语不当。",
                  "当班领班证实该服务员当时与顾客发生口角。"),
        facts_en=("The branch manager reviewed the camera footage and spoke with the waiter; "
                  "the remark was made.",),
        remedies=(Remedy("店长当面致歉，并赠送{amount}元代金券",
                         "a personal apology from the branch manager and a voucher for "
                         "{amount} yuan", 50, 100),
                  Remedy("书面致歉，涉事员工停岗培训", "a written apology; the waiter has been "
                         "taken off the floor for retraining")),
        outcome_zh="店长已致歉，涉事员工完成服务礼仪培训。",
        outcome_en="The manager apologised; the staff member completed retraining.",
        wait_zh="当时的用餐时间和桌号", wait_en="the time of your visit and the table number",
        lesson="根因：员工服务意识不足，高峰期情绪管理差。纠正措施：服务礼仪复训，高峰期领班巡台。",
        wants=("apology", "accountability"),
        weight=3,
    ),
    Scenario(
        "food_poisoning", RESTAURANT, ("service_centre", "chunxi", "tianfu"),
        zh=("{day}在{branch}吃了{dish}，回家后{people}个人都上吐下泻，去医院诊断是急性肠胃炎，"
            "花了{extra}元医药费。",
            "在{branch}吃完{dish}当晚孩子开始发烧腹泻，医生说是食物中毒，现在还在输液。"),
        en=("After eating {dish_en} at {branch_en} {day_en}, {people} of us had severe "
            "stomach cramps and diarrhoea. The hospital diagnosed food poisoning.",),
        issue_zh="用餐后身体不适", issue_en="your illness after the meal",
        needs_zh=("顾客要求承担医药费并给出检测结论。",
                  "顾客首先关心孩子身体，要求门店说明食材情况。"),
        needs_en=("The customer wants the medical costs covered and the cause investigated.",),
        facts_zh=("已封存当日留样并送第三方检测；同一时段其他桌未反映不适。",
                  "检测结果显示{dish}留样菌落总数超标，当日冷藏柜温度记录异常。"),
        facts_en=("The kept samples of that day were sent to an independent lab; one fridge "
                  "logged abnormal temperatures.",),
        remedies=(Remedy("承担全部医药费并退还当餐费用，共{amount}元",
                         "all medical costs plus the meal, {amount} yuan in total", 400, 2200),
                  Remedy("承担医药费{amount}元，店长上门探望致歉",
                         "{amount} yuan for the medical costs and a visit from the branch "
                         "manager to apologise in person", 300, 1600)),
        outcome_zh="医药费已赔付，顾客已康复。门店更换冷藏设备并完成食品安全复查。",
        outcome_en="Medical costs reimbursed; the customer has recovered.",
        wait_zh="医院诊断证明和费用票据", wait_en="the hospital's diagnosis and the receipts",
        lesson="根因：冷藏柜温控失灵未被发现。纠正措施：冷链温度每两小时记录，异常立即报修并封存食材。",
        wants=("compensation", "explanation", "accountability"),
        stake=(200, 1800), order="bill", safety=True, weight=2,
    ),
    Scenario(
        "foreign_object", RESTAURANT, ("service_centre", "chunxi", "tianfu"),
        zh=("{branch}的{dish}里吃出一小截钢丝球，差点咽下去！",
            "{day}在{branch}吃{dish}，咬到一块硬的，吐出来是塑料片，牙都硌疼了。"),
        en=("There was a piece of steel wool in my {dish_en} at {branch_en}. I nearly "
            "swallowed it.",),
        issue_zh="菜里的异物", issue_en="the foreign object in your food",
        needs_zh=("顾客要求解释异物来源，并检查口腔是否受伤。",),
        needs_en=("The customer wants to know how it got there, and to have a check-up paid.",),
        facts_zh=("后厨排查：洗锅用钢丝球与备菜区未分开，已全部更换为硅胶刷。",),
        facts_en=("Steel wool used for pans was kept next to the preparation area; it has "
                  "been replaced with silicone brushes.",),
        remedies=(Remedy("承担口腔检查费用并免单，共{amount}元",
                         "the dental check-up and the meal, {amount} yuan", 200, 600),),
        outcome_zh="已赔付检查费并免单，顾客接受。", outcome_en="Check-up and meal reimbursed.",
        wait_zh="异物照片", wait_en="a photo of the object",
        lesson="根因：清洁工具与备菜区未分区。纠正措施：后厨分区管理，全面停用钢丝球。",
        wants=("explanation", "compensation", "accountability"),
        stake=(80, 300), order="bill", safety=True, weight=2,
    ),
    Scenario(
        "reservation_lost", RESTAURANT, ("service_centre", "chunxi", "tianfu"),
        zh=("提前三天订了{branch}的包间给老人过生日，{people}个人到了店里却说没有预订记录。",
            "电话预订了{day}{meal}{branch}的{people}人桌，到店被告知订位没录进系统，只能排队。"),
        en=("I booked a private room at {branch_en} three days in advance for my mother's "
            "birthday. When {people} of us arrived, there was no record of the booking.",),
        issue_zh="预订没有被记录", issue_en="the lost reservation",
        needs_zh=("顾客希望解释原因，并补偿被打乱的生日聚餐。",),
        needs_en=("The customer wants an explanation and something to make up for the "
                  "spoiled celebration.",),
        facts_zh=("预订电话由新员工接听，未录入订位系统。",),
        facts_en=("The booking was taken by a new colleague who did not enter it in the system.",),
        remedies=(Remedy("赠送{amount}元代金券，下次预订包间免包间费",
                         "a voucher for {amount} yuan and no room charge on your next booking",
                         100, 300),),
        outcome_zh="代金券已发放，顾客已重新预订。",
        outcome_en="Voucher sent; the customer rebooked.",
        wait_zh="预订时的通话时间", wait_en="when you called to book",
        lesson="根因：电话订位无复述确认，新员工未培训。纠正措施：订位后发送确认短信。",
        wants=("explanation", "compensation", "apology"),
        weight=2,
    ),
    # Restaurant, takeaway: the app and the delivery platform.
    Scenario(
        "takeaway_late", RESTAURANT, ("service_centre",),
        zh=("外卖下单{minutes}分钟才送到，{dish}都坨了，汤也凉了。",
            "点的外卖预计四十分钟，结果等了{minutes}分钟，打电话问门店说骑手早取走了。",
            "中午十二点点的外卖，快两点才到，午休时间全耽误了。"),
        en=("My takeaway order took {minutes} minutes to arrive and the {dish_en} was "
            "cold and soggy.",),
        issue_zh="外卖送达太晚", issue_en="your late delivery",
        needs_zh=("顾客希望部分退款。",), needs_en=("The customer wants a partial refund.",),
        facts_zh=("配送平台记录显示骑手取餐后先送了另外两单，送达用时{minutes}分钟。",),
        facts_en=("The delivery platform shows the rider dropped off two other orders first.",),
        remedies=(Remedy("退还一半餐费{amount}元", "a refund of half the order, {amount} yuan",
                         share="0.5"),
                  Remedy("赠送{amount}元外卖红包", "a takeaway credit of {amount} yuan", 10, 30)),
        outcome_zh="已部分退款。", outcome_en="Partial refund made.",
        wait_zh="订单截图", wait_en="a screenshot of the order",
        lesson="根因：平台骑手拼单配送。纠正措施：与平台约定高峰期专送，超时自动补偿。",
        wants=("refund", "compensation"),
        stake=(35, 168), order="takeaway", weight=4,
    ),
    Scenario(
        "takeaway_missing", RESTAURANT, ("service_centre",),
        zh=("外卖少送了{dish2}，打电话给门店说已经打包了，但袋子里就是没有。",
            "点了{dish}和{dish2}，只送来一个，米饭也少了一份。"),
        en=("My takeaway arrived without the {dish2_en}, although I paid for it.",),
        issue_zh="外卖少送菜品", issue_en="the missing item in your order",
        needs_zh=("顾客要求退还漏送菜品的费用。",),
        needs_en=("The customer wants the missing item refunded.",),
        facts_zh=("打包出餐单核对无误，但打包员漏装{dish2}，监控可见。",),
        facts_en=("The packing camera shows the {dish2_en} was left on the counter.",),
        remedies=(Remedy("退还漏送菜品费用{amount}元，并补送一份",
                         "a refund of {amount} yuan and the dish delivered again", share="1"),),
        outcome_zh="已退款并补送。", outcome_en="Refunded and redelivered.",
        wait_zh="外卖订单号", wait_en="the order number",
        lesson="根因：打包无核对清单。纠正措施：打包台贴订单核对，封袋前勾选确认。",
        wants=("refund", "redo"),
        stake=(28, 78), order="takeaway", weight=3,
    ),
    Scenario(
        "takeaway_spilled", RESTAURANT, ("service_centre",),
        zh=("外卖送到时{dish}的汤洒了一袋子，手机壳都弄脏了，根本没法吃。",),
        en=("The {dish_en} arrived spilled all over the bag.",),
        issue_zh="外卖汤汁洒漏", issue_en="your spilled order",
        needs_zh=("顾客希望重做或退款。",), needs_en=("The customer wants it remade or refunded.",),
        facts_zh=("汤品包装未使用防漏封口膜。",),
        facts_en=("The soup container had not been sealed with film.",),
        remedies=(Remedy("全额退款{amount}元", "a full refund of {amount} yuan", share="1"),),
        outcome_zh="已全额退款。", outcome_en="Fully refunded.",
        wait_zh="收到时的照片", wait_en="a photo of the order as it arrived",
        lesson="根因：汤品包装不防漏。纠正措施：汤品统一封膜加固定托。",
        wants=("refund", "redo"),
        stake=(35, 128), order="takeaway", weight=2,
    ),
    Scenario(
        "takeaway_wrong", RESTAURANT, ("service_centre",),
        zh=("备注了微辣，送来的{dish}辣得根本没法入口，孩子一口都没吃。",
            "点的是{dish}，送来的是{dish2}，别人的单送到我这了吧？"),
        en=("I ordered {dish_en} but received {dish2_en}.",),
        issue_zh="外卖送错或没按备注做", issue_en="the wrong order you received",
        needs_zh=("顾客希望重新送一份正确的。",), needs_en=("The customer wants the right order.",),
        facts_zh=("厨房出餐时未查看订单备注。",), facts_en=("The kitchen missed the order note.",),
        remedies=(Remedy("退还{amount}元并重新制作送达", "a refund of {amount} yuan and the right "
                         "dish delivered", share="1"),),
        outcome_zh="已退款并重新送达。", outcome_en="Refunded and the right dish delivered.",
        wait_zh="收到的菜品照片", wait_en="a photo of what arrived",
        lesson="根因：出餐未核对备注。纠正措施：备注打印加粗，出餐口二次核对。",
        wants=("redo", "refund"),
        stake=(32, 98), order="takeaway", weight=2,
    ),
    # Hotel.
    Scenario(
        "ac_broken", HOTEL, ("front_desk", "engineering"),
        zh=("入住{room}房，空调一直不制冷，房间里快三十度，报修后两个小时没人来。",
            "{room}房的空调开了一晚上吹的都是热风，调到最低也没用，一夜没睡好。",
            "{room_type}的空调噪音特别大，关了又太热，前台说明天再修。"),
        en=("The air conditioning in room {room} does not work. It is far too hot and "
            "nobody came after I called reception two hours ago.",
            "The air conditioner in my {room_type_en} blew warm air all night and I could "
            "not sleep."),
        issue_zh="房间空调故障", issue_en="the broken air conditioning in your room",
        needs_zh=("顾客首先要马上修好或换房，其次希望减免房费。",),
        needs_en=("The guest wants it fixed or a room change at once, then a reduction.",),
        facts_zh=("工程部检查：{room}房空调冷媒泄漏，需更换压缩机阀门。",
                  "报修工单在交接班时遗漏，延误约两小时。"),
        facts_en=("Engineering found a refrigerant leak in room {room}; the repair request "
                  "was lost at shift change.",),
        remedies=(Remedy("免费升级至行政套房，并减免一晚房费{amount}元",
                         "a free upgrade to an executive suite and {amount} yuan off one night",
                         share="0.5"),
                  Remedy("减免当晚房费{amount}元", "{amount} yuan off that night's rate",
                         share="0.3")),
        outcome_zh="已换房并减免房费，空调已维修。",
        outcome_en="Room changed, rate reduced, AC fixed.",
        wait_zh="离店后方便联系的时间", wait_en="a good time to reach you after your stay",
        lesson="根因：报修工单交接遗漏，空调缺少夏季前保养。纠正措施：工单系统化，旺季前全面检修空调。",
        wants=("repair", "fix_fast", "compensation"),
        stake=(388, 1288), order="booking", weight=4,
    ),
    Scenario(
        "noisy_room", HOTEL, ("front_desk", "housekeeping"),
        zh=("{room}房隔壁半夜一直在大声唱歌喝酒，打了三次前台电话都没人管，一整夜没睡。",
            "{room}房楼下是设备间，嗡嗡响了一整夜，第二天开会状态极差。",
            "入住{room}房，早上七点楼上就开始装修电钻，订房时没有任何提示。"),
        en=("The guests next to room {room} were partying until 3 am. I called reception "
            "three times and nothing was done.",),
        issue_zh="房间噪音", issue_en="the noise that kept you awake",
        needs_zh=("顾客希望换安静的房间并减免房费。",),
        needs_en=("The guest wants a quiet room and a reduction.",),
        facts_zh=("夜班记录显示曾上门提醒一次，但未持续跟进。",
                  "楼上楼层施工未按规定在十点后才开始。"),
        facts_en=("The night shift knocked once but did not follow up.",),
        remedies=(Remedy("换到安静楼层，并减免{amount}元房费",
                         "a move to a quiet floor and {amount} yuan off the rate", share="0.3"),
                  Remedy("赠送双早并减免{amount}元", "free breakfast for two and {amount} yuan "
                         "off", 100, 300)),
        outcome_zh="已换房并减免部分房费。", outcome_en="Moved to a quiet room; part refunded.",
        wait_zh="入住人姓名和离店日期", wait_en="the guest name and departure date",
        lesson="根因：夜间噪音投诉没有升级机制。纠正措施：两次投诉未解决自动通知值班经理。",
        wants=("compensation", "fix_fast", "apology"),
        stake=(388, 988), order="booking", weight=3,
    ),
    Scenario(
        "dirty_sheets", HOTEL, ("housekeeping", "front_desk"),
        zh=("{room}房床单上有明显污渍，枕头上还有别人的头发，这是没换吧？",
            "入住{room_type}，卫生间地漏有头发，浴巾发黄有异味。",
            "{room}房的杯子没有消毒，里面还有茶渍。"),
        en=("The sheets in room {room} were stained and there were hairs on the pillow. "
            "They had clearly not been changed.",),
        issue_zh="客房卫生不达标", issue_en="the state of your room",
        needs_zh=("顾客要求立即重新清洁并道歉。",),
        needs_en=("The guest wants the room redone at once.",),
        facts_zh=("客房部查房记录显示该房由实习员工清洁，领班未抽查。",),
        facts_en=("The room was cleaned by a trainee and not inspected.",),
        remedies=(Remedy("立即更换布草并赠送双人早餐，减免{amount}元",
                         "fresh linen at once, breakfast for two and {amount} yuan off",
                         100, 260),),
        outcome_zh="已重新清洁并赠送早餐。", outcome_en="Room recleaned, breakfast offered.",
        wait_zh="房间照片", wait_en="photos of the room",
        lesson="根因：新员工清洁后无人查房。纠正措施：实习员工清洁的客房百分百抽查。",
        wants=("apology", "compensation", "fix_fast"),
        stake=(388, 888), order="booking", weight=3,
    ),
    Scenario(
        "overbooked", HOTEL, ("front_desk",),
        zh=("在网上预订并付款的{room_type}，晚上十一点到店却说满房了，让我们自己想办法。",
            "订了{nights}晚的房间，到了前台说超售了，只能安排到别的酒店。"),
        en=("I had a paid booking for a {room_type_en} but on arrival at 11 pm I was told "
            "the hotel was full.",),
        issue_zh="订房超售", issue_en="the overbooking on your arrival",
        needs_zh=("顾客要求当晚安排同等以上酒店并赔偿。",),
        needs_en=("The guest wants a room that night at least as good, and compensation.",),
        facts_zh=("渠道库存同步延迟导致超售两间。",),
        facts_en=("A delay in syncing availability with a booking site oversold two rooms.",),
        remedies=(Remedy("安排合作酒店同级套房并承担车费，退还全部房费{amount}元",
                         "a suite at our partner hotel with the taxi paid and a full refund of "
                         "{amount} yuan", share="1"),),
        outcome_zh="已安排入住合作酒店并全额退款。", outcome_en="Rehoused and fully refunded.",
        wait_zh="预订确认截图", wait_en="the booking confirmation",
        lesson="根因：渠道库存同步延迟。纠正措施：旺季保留两间缓冲房，不对外销售。",
        wants=("compensation", "fix_fast", "explanation"),
        stake=(588, 2388), order="booking", weight=2,
    ),
    Scenario(
        "lost_luggage", HOTEL, ("front_desk",),
        zh=("寄存在礼宾部的行李箱取的时候找不到了，里面有笔记本电脑。",
            "退房后寄存的两件行李被别的客人拿走了一件，酒店说没办法。"),
        en=("The suitcase I left with the concierge could not be found when I came back "
            "for it. My laptop was inside.",),
        issue_zh="寄存行李遗失", issue_en="your missing luggage",
        needs_zh=("顾客要求尽快找回行李，找不回按价赔偿。",),
        needs_en=("The guest wants the bag found quickly or its value paid.",),
        facts_zh=("监控显示另一位客人误拿，已联系对方送回。", "行李牌编号登记错误，导致错发。"),
        facts_en=("Camera footage shows another guest took it by mistake; we have reached them.",),
        remedies=(Remedy("行李找回后专人送达，并补偿{amount}元交通和误工费用",
                         "the suitcase delivered to you and {amount} yuan for your trouble",
                         200, 800),),
        outcome_zh="行李已找回并送达。", outcome_en="The suitcase was found and delivered.",
        wait_zh="行李寄存牌照片", wait_en="a photo of the luggage tag",
        lesson="根因：行李寄存登记与发还无核对。纠正措施：寄存牌双联，取件核对证件。",
        wants=("fix_fast", "compensation", "explanation"),
        stake=(800, 6000), weight=2,
    ),
    Scenario(
        "deposit_not_refunded", HOTEL, ("front_desk",),
        zh=("退房一周了押金{extra}元还没退回，打前台电话说财务在处理。",
            "信用卡被重复扣了两次房费，一共多扣了{extra}元。"),
        en=("I checked out a week ago and my deposit of {extra} yuan has still not been "
            "returned.", "My card was charged twice for the same stay."),
        issue_zh="押金未退/重复扣款", issue_en="the charge on your card",
        needs_zh=("顾客要求尽快退款并说明原因。",),
        needs_en=("The guest wants the money back now.",),
        facts_zh=("预授权未在退房时撤销，系统重复结算。",),
        facts_en=("The pre-authorisation was not released at check-out.",),
        remedies=(Remedy("原路退还{amount}元，并赠送一晚房券",
                         "a refund of {amount} yuan and a free night voucher", share="1"),),
        outcome_zh="款项已原路退回。", outcome_en="Refunded to the card.",
        wait_zh="银行扣款记录截图", wait_en="a screenshot of the card statement",
        lesson="根因：退房流程漏撤预授权。纠正措施：退房时系统强制确认预授权处理。",
        wants=("refund", "explanation", "fix_fast"),
        stake=(300, 2000), order="booking", weight=2,
    ),
    Scenario(
        "hot_water", HOTEL, ("engineering", "front_desk"),
        zh=("{room}房洗澡一直没有热水，放了十分钟还是冰凉的。",),
        en=("There was no hot water in room {room} this morning.",),
        issue_zh="没有热水", issue_en="the lack of hot water",
        needs_zh=("顾客希望马上修好。",), needs_en=("The guest wants it fixed now.",),
        facts_zh=("该楼层热水循环泵故障。",),
        facts_en=("A circulation pump on that floor failed.",),
        remedies=(Remedy("减免{amount}元房费", "{amount} yuan off your rate", 80, 200),),
        outcome_zh="热水已恢复。", outcome_en="Hot water restored.",
        wait_zh="方便维修人员进房的时间", wait_en="a time our engineer may enter the room",
        lesson="根因：热水泵无备用。纠正措施：加装备用泵并纳入巡检。",
        wants=("repair", "fix_fast"),
        stake=(388, 888), order="booking", weight=2,
    ),
    # Property management.
    Scenario(
        "water_leak", PROPERTY, ("service_centre", "engineering"),
        zh=("{community}{home}，楼上漏水，我家卫生间天花板泡坏了，墙皮大片脱落。",
            "{home}厨房顶上一直在滴水，水顺着灯线往下流，很危险，联系物业两天了没人来。",
            "{community}地下车库顶板漏水，我的车被泡了污水。"),
        en=("Water is leaking from the flat above into my bathroom at {home_en}, "
            "{community_en}. The ceiling is ruined.",),
        issue_zh="漏水问题", issue_en="the water leak",
        needs_zh=("业主要求尽快止漏并赔偿装修损失。", "业主首先要求找到漏点，再谈维修费用。"),
        needs_en=("The owner wants the leak stopped and the damage paid for.",),
        facts_zh=("工程部上门检测：楼上卫生间防水层破损，已协调楼上业主配合维修。",
                  "检查确认为公共立管接口老化渗漏，属物业维修责任。"),
        facts_en=("The waterproofing of the bathroom above has failed.",),
        remedies=(Remedy("物业负责维修公共管道，并承担天花板修复费用{amount}元",
                         "repair of the shared pipe and {amount} yuan for the ceiling",
                         800, 6000),
                  Remedy("协调楼上业主维修，物业先行垫付修复费用{amount}元",
                         "the repair arranged with the owner above, and {amount} yuan advanced "
                         "for your ceiling", 500, 4000)),
        outcome_zh="漏点已修复，天花板已重新粉刷。", outcome_en="Leak fixed, ceiling repainted.",
        wait_zh="方便上门查看的时间", wait_en="a time we may come and inspect",
        lesson="根因：公共管道老化无定期检测。纠正措施：对使用十年以上立管分批更换。",
        wants=("repair", "fix_fast", "compensation"),
        stake=(800, 15000), order="repair", weight=4,
    ),
    Scenario(
        "lift_broken", PROPERTY, ("service_centre", "engineering"),
        zh=("{community}{building}栋电梯又坏了，家里老人八十多岁，上不了楼。",
            "{community}{building}栋电梯困人！我和孩子被关在里面二十多分钟，按紧急按钮没人应。",
            "{building}栋电梯这个月停了三次，每次都要等一天才修好。"),
        en=("The lift in building {building}, {community_en}, trapped me and my child for "
            "twenty minutes and nobody answered the alarm.",),
        issue_zh="电梯故障", issue_en="the lift breakdown",
        needs_zh=("业主要求彻底检修电梯并说明原因。",),
        needs_en=("The owner wants the lift properly repaired and an explanation.",),
        facts_zh=("维保单位检查：门机控制板老化，已更换；紧急呼叫线路松动。",),
        facts_en=("The maintenance contractor replaced a worn door controller and fixed the "
                  "alarm line.",),
        remedies=(Remedy("全面检修并更换部件，书面公示维修结果", "a full overhaul, with the repair "
                         "report posted in the lobby"),),
        outcome_zh="电梯已恢复运行，维修报告已公示。", outcome_en="Lift back in service.",
        wait_zh="被困时间和楼层", wait_en="the time and floor where it stopped",
        lesson="根因：电梯部件老化，应急呼叫无测试。纠正措施：每月测试应急呼叫，年检增加门机项。",
        wants=("repair", "explanation", "fix_fast"),
        safety=True, weight=3,
    ),
    Scenario(
        "parking", PROPERTY, ("security", "service_centre"),
        zh=("我的固定车位{spot}天天被外来车辆占用，保安说管不了。",
            "{community}地库车位划线不清，我的车被刮了，保安说监控坏了。",
            "小区访客车随便进，业主晚上回来没地方停。"),
        en=("Someone keeps parking in my space {spot} in {community_en} and the guards do "
            "nothing.",),
        issue_zh="车位被占用", issue_en="the parking problem",
        needs_zh=("业主要求保障车位使用并加强管理。",),
        needs_en=("The owner wants their space kept free.",),
        facts_zh=("门岗登记显示外来车辆未登记放行。",),
        facts_en=("The gate log shows visitors were let in without registration.",),
        remedies=(Remedy("安装车位地锁，减免一个月停车费{amount}元",
                         "a parking lock for your space and one month's fee ({amount} yuan) "
                         "waived", 150, 400),),
        outcome_zh="已安装地锁，门岗加强访客登记。",
        outcome_en="Lock installed, gate checks tightened.",
        wait_zh="被占用时的车牌照片", wait_en="a photo of the car in your space",
        lesson="根因：访客车辆放行不登记。纠正措施：访客车凭业主确认放行。",
        wants=("fix_fast", "accountability"),
        stake=(150, 600), weight=3,
    ),
    Scenario(
        "neighbour_noise", PROPERTY, ("service_centre",),
        zh=("楼上{home}装修每天早上七点就开始电钻，周末也不停，物业说了也不管用。",
            "隔壁养的狗整夜叫，跟物业反映了三次。"),
        en=("The renovation upstairs starts drilling at 7 am every day, weekends included.",),
        issue_zh="噪音扰民", issue_en="the noise",
        needs_zh=("业主要求物业督促按规定时间施工。",),
        needs_en=("The owner wants the rules on building hours enforced.",),
        facts_zh=("装修登记规定施工时间为8:30-12:00、14:00-18:00，该户违规。",),
        facts_en=("The renovation permit allows drilling only 8:30-12:00 and 14:00-18:00.",),
        remedies=(Remedy("向装修户发整改通知，违规施工停电处理", "a formal notice to the "
                         "renovating owner, with power cut to the site if it happens again"),),
        outcome_zh="装修户已按规定时间施工。", outcome_en="Work now keeps to the permitted hours.",
        wait_zh="噪音出现的时间段", wait_en="when the noise happens",
        lesson="根因：装修巡查不到位。纠正措施：早晚各巡查一次装修户。",
        wants=("fix_fast", "accountability"),
        weight=2,
    ),
    Scenario(
        "fees", PROPERTY, ("service_centre",),
        zh=("今年物业费账单按{area}平方收，我家房产证是{area_real}平方，多收了{extra}元。",
            "公摊电费突然涨了一倍，问物业也说不清楚怎么算的。",
            "车位管理费没有任何通知就涨价，要求公示收费依据。"),
        en=("My service charge bill for {home_en} is calculated on the wrong floor area; "
            "I have been overcharged {extra} yuan.",),
        issue_zh="物业费收费问题", issue_en="your service charge",
        needs_zh=("业主要求核对账单并退还多收部分。",),
        needs_en=("The owner wants the bill checked and the difference refunded.",),
        facts_zh=("核对发现系统面积录入错误，多收{extra}元。",
                  "公摊电费上涨因电梯改造增加用电，未提前公示。"),
        facts_en=("The billing system had the wrong floor area.",),
        remedies=(Remedy("退还多收的{amount}元并更正系统面积", "a refund of {amount} yuan and the "
                         "area corrected", share="1"),),
        outcome_zh="多收费用已退回，账单已更正。", outcome_en="Refunded and the bill corrected.",
        wait_zh="房产证面积页照片", wait_en="a photo of the title deed's area page",
        lesson="根因：收费系统面积未与房产证核对。纠正措施：全小区面积数据复核，收费调整提前公示。",
        wants=("refund", "explanation"),
        stake=(120, 960), order="fee", weight=3,
    ),
    Scenario(
        "security", PROPERTY, ("security", "service_centre"),
        zh=("{building}栋单元门门禁坏了一周，陌生人随便进出，我家电动车昨晚被偷了。",
            "半夜有人在{building}栋挨家挨户敲门，保安室没人。"),
        en=("The entrance door lock of building {building} has been broken for a week and "
            "my e-bike was stolen last night.",),
        issue_zh="小区安全问题", issue_en="the security failure",
        needs_zh=("业主要求修好门禁、调取监控并协助报警。",),
        needs_en=("The owner wants the door fixed, the footage checked and police help.",),
        facts_zh=("门禁故障报修后未及时维修；监控显示陌生人尾随进入。",),
        facts_en=("The door repair was not done; cameras show a stranger following a "
                  "resident in.",),
        remedies=(Remedy("修复门禁、配合警方调查，并补偿{amount}元",
                         "the door repaired, full help to the police and {amount} yuan",
                         500, 2500),),
        outcome_zh="门禁已修复，已配合派出所立案。", outcome_en="Door fixed; police report filed.",
        wait_zh="报警回执", wait_en="the police report number",
        lesson="根因：门禁维修超时无人跟进，夜间巡逻缺位。纠正措施：门禁故障二十四小时内修复，夜班双人巡逻。",
        wants=("fix_fast", "compensation", "accountability"),
        stake=(1500, 4000), safety=True, weight=2,
    ),
    Scenario(
        "garbage", PROPERTY, ("service_centre",),
        zh=("{community}{building}栋楼下垃圾站三天没清运，臭气熏天，苍蝇到处飞。",),
        en=("The bins by building {building} have not been emptied for three days.",),
        issue_zh="垃圾未清运", issue_en="the uncollected rubbish",
        needs_zh=("业主要求立即清运并消杀。",), needs_en=("The owner wants it cleared today.",),
        facts_zh=("保洁外包单位人员不足，漏排班。",),
        facts_en=("The cleaning contractor was short-staffed.",),
        remedies=(Remedy("当天清运并消杀，约谈保洁单位", "collection and disinfection today, and a "
                         "warning to the cleaning contractor"),),
        outcome_zh="已清运消杀。", outcome_en="Cleared and disinfected.",
        wait_zh="垃圾站位置", wait_en="where the bins are",
        lesson="根因：外包保洁排班缺口。纠正措施：合同增加清运时效考核。",
        wants=("fix_fast",),
        weight=2,
    ),
    Scenario(
        "repair_no_show", PROPERTY, ("engineering", "service_centre"),
        zh=("报修{days}天了，约好的维修师傅一直没上门，打电话也不接。",
            "{home}的下水道堵了，师傅来了看一眼说要配件就走了，再没回来。"),
        en=("I reported a blocked drain at {home_en} {days} days ago. The repairman never "
            "came back.",),
        issue_zh="报修迟迟不处理", issue_en="the repair that was not done",
        needs_zh=("业主希望约定确切时间上门维修。",),
        needs_en=("The owner wants a firm appointment.",),
        facts_zh=("维修工单派给的师傅休假，未重新派单。",),
        facts_en=("The job was assigned to a repairman on leave and never reassigned.",),
        remedies=(Remedy("今天上门修好，免收上门费和配件费{amount}元",
                         "the repair done today with the {amount} yuan call-out and parts "
                         "charge waived", 50, 200),),
        outcome_zh="已维修完毕。", outcome_en="Repaired.",
        wait_zh="方便上门的时间", wait_en="a time that suits you",
        lesson="根因：工单派单后无超时提醒。纠正措施：超过二十四小时未完成的工单自动提醒主管。",
        wants=("repair", "fix_fast", "accountability"),
        order="repair", weight=2,
    ),
    # Not complaints: a suggestion and questions.
    Scenario(
        "suggestion_high_chair", RESTAURANT, ("service_centre", "chunxi", "tianfu"),
        zh=("建议{branch}多准备几张儿童餐椅，周末带孩子经常等不到。",
            "希望菜单上能标注辣度和过敏原，带老人孩子点菜方便些。"),
        en=("It would be great if the {branch_en} branch had more high chairs for children.",),
        issue_zh="建议", issue_en="suggestion",
        needs_zh=("顾客提出改进建议。",), needs_en=("A suggestion for improvement.",),
        facts_zh=("门店现有儿童餐椅四张，周末不够用。",),
        facts_en=("The branch has four high chairs.",),
        remedies=(Remedy("门店将增加六张儿童餐椅，感谢建议", "six more high chairs for the branch; "
                         "thank you for the idea"),),
        outcome_zh="建议已采纳。", outcome_en="Suggestion adopted.",
        wait_zh="您常去的门店", wait_en="which branch you usually visit",
        lesson="顾客建议，已纳入门店设施改进清单。",
        wants=(), kind="suggestion", weight=1,
    ),
    Scenario(
        "inquiry_invoice", HOTEL, ("front_desk",),
        zh=("请问退房后还能补开增值税专用发票吗？需要提供什么资料？",),
        en=("How can I get a VAT invoice for my stay in room {room}?",),
        issue_zh="关于发票的咨询", issue_en="question about invoices",
        needs_zh=("顾客咨询补开发票。",), needs_en=("The guest asks for an invoice.",),
        facts_zh=("退房三十天内可补开。",),
        facts_en=("Invoices can be issued up to 30 days later.",),
        remedies=(Remedy("补开发票并快递寄出", "the invoice issued and sent by courier"),),
        outcome_zh="发票已寄出。", outcome_en="Invoice sent.",
        wait_zh="开票抬头和税号", wait_en="the company name and tax number",
        lesson="咨询类，前台补开发票流程说明已更新到官网。",
        wants=(), order="booking", kind="inquiry", weight=1,
    ),
    Scenario(
        "suggestion_parcel_locker", PROPERTY, ("service_centre",),
        zh=("建议在{community}东门增加快递柜，现在快递都堆在门岗，经常拿错。",),
        en=("Could you install parcel lockers at the east gate of {community_en}?",),
        issue_zh="建议", issue_en="suggestion",
        needs_zh=("业主提出改进建议。",), needs_en=("A suggestion from an owner.",),
        facts_zh=("东门门岗日均代收快递两百余件。",),
        facts_en=("The east gate takes in 200 parcels a day.",),
        remedies=(Remedy("下月在东门安装快递柜", "parcel lockers at the east gate next month"),),
        outcome_zh="快递柜已安装。", outcome_en="Lockers installed.",
        wait_zh="您所在的楼栋", wait_en="your building",
        lesson="业主建议，已列入下季度设施改造。",
        wants=(), kind="suggestion", weight=1,
    ),
    # Closed as invalid: not something the business can act on.
    Scenario(
        "spam_reviews", RESTAURANT, ("service_centre",),
        zh=("专业代做点评好评，五星好评包上榜，价格优惠，有意加微信 hp{code}。",
            "出售餐饮行业客户资料，精准营销，联系 QQ {code}。"),
        en=("Boost your restaurant rating! Five-star reviews guaranteed, message us: "
            "promo{code}.",),
        issue_zh="", issue_en="",
        needs_zh=("",), needs_en=("",), facts_zh=("",), facts_en=("",), remedies=(),
        outcome_zh="", outcome_en="", wait_zh="", wait_en="",
        lesson="", wants=(), kind="invalid", weight=2, channels=(Channel.WEB,),
    ),
    Scenario(
        "test_submission", RESTAURANT, ("service_centre",),
        zh=("测试一下，看看能不能提交成功", "123 测试"),
        en=("test test please ignore",),
        issue_zh="", issue_en="",
        needs_zh=("",), needs_en=("",), facts_zh=("",), facts_en=("",), remedies=(),
        outcome_zh="", outcome_en="", wait_zh="", wait_en="",
        lesson="", wants=(), kind="invalid", weight=1, channels=(Channel.WEB,),
    ),
    Scenario(
        "not_ours", PROPERTY, ("service_centre",),
        zh=("我家宽带又断了，你们赶紧派人来修！", "小区门口那家超市卖过期牛奶，你们管不管？"),
        en=("My internet has been down since yesterday, please fix it.",),
        issue_zh="", issue_en="",
        needs_zh=("",), needs_en=("",), facts_zh=("",), facts_en=("",), remedies=(),
        outcome_zh="", outcome_en="", wait_zh="", wait_en="",
        lesson="", wants=(), kind="invalid", weight=1,
    ),
)

INVALID_REASONS: dict[str, tuple[str, str]] = {
    # (internal note, message to the customer or "" when there is no one to tell)
    "spam_reviews": ("广告推广信息，非顾客投诉，按无效关闭。", ""),
    "test_submission": ("测试提交，无投诉内容，按无效关闭。", ""),
    "not_ours": ("不属于物业服务范围，已告知顾客向相关单位反映。",
                 "您好，您反映的问题不属于物业服务范围，建议直接联系宽带运营商或市场监管部门（12315）。"
                 "如有其他物业问题，欢迎随时联系我们。"),
}


# --- what staff write, by step --------------------------------------------------------------
# Pairs of pools: (Chinese, English). Slots: {salutation}, {agent}, {issue}, {remedy},
# {wait}, {original}.

ACKNOWLEDGE = (
    ("{salutation}您好，我是{agent}。{issue}给您添麻烦了，真的非常抱歉。这件事由我负责跟进到底，"
     "今天之内给您答复。",
     "{salutation}，非常抱歉让您有了这样不愉快的经历。您反映的{issue}我们已经记录，我是负责人{agent}，"
     "会尽快核实并联系您。",
     "{salutation}您好，感谢您告诉我们{issue}的情况，给您带来不便我们深表歉意。我是{agent}，"
     "后续由我全程跟进。"),
    ("Dear {salutation}, I am {agent} and I am very sorry about {issue}. I will personally "
     "follow this through and get back to you today.",
     "Dear {salutation}, thank you for telling us about {issue}, and please accept our "
     "apologies. My name is {agent}; I am looking into it now."),
)
INVESTIGATE = (
    ("我们正在调取当天的记录并向当班同事了解情况，核实后第一时间联系您。",
     "已经安排相关负责人核实情况，预计明天中午前给您回复。",
     "我们正在核实，有进展马上告诉您。"),
    ("We are checking the records and talking to the staff on duty; I will contact you as "
     "soon as we know more.",
     "The manager responsible is looking into it; you will hear from us by tomorrow noon."),
)
PROGRESS = (
    ("很抱歉让您久等，我们仍在核实中，明天会告诉您最新进展。",),
    ("Sorry for the wait: we are still checking and will update you tomorrow.",),
)
PROPOSE = (
    ("{salutation}您好，经核实确实是我们的问题。我们的处理方案是：{remedy}。您看这样可以吗？",
     "再次向您致歉。我们希望这样弥补：{remedy}。如果您有其他想法，请随时告诉我。"),
    ("Dear {salutation}, we have confirmed the failure was ours. We would like to offer "
     "{remedy}. Would that be acceptable to you?",),
)
ACCEPT = (
    ("感谢您的理解，我们马上安排。", "谢谢您接受我们的方案，稍后就为您办理。"),
    ("Thank you for accepting; we are arranging it now.",),
)
REJECT = (
    ("理解您对这个方案不满意，我们会重新评估，24小时内给您新的答复。",),
    ("I understand the offer does not feel right to you. We will reconsider and come back "
     "to you within 24 hours.",),
)
REJECT_NOTES = (
    "顾客不接受：认为补偿太少，不足以弥补损失。",
    "顾客不接受代金券，希望直接退款。",
    "顾客表示以后不会再来消费，代金券对他没有意义。",
    "顾客要求主管出面道歉后再谈补偿。",
)
EXECUTE = (
    ("方案正在执行：{remedy}。办好后我会再通知您。",),
    ("We are now carrying out what we agreed: {remedy}. I will let you know when it is done.",),
)
RESOLVE = (
    ("{salutation}您好，{remedy}已经办理完成，请您查收。再次向您致歉，也谢谢您给我们改进的机会。",
     "{salutation}，您的问题已经处理完毕：{remedy}。如果还有任何不满意，请直接联系我。"),
    ("Dear {salutation}, it is done: {remedy}. Once again we apologise, and thank you for "
     "giving us the chance to put it right.",),
)
FOLLOW_UP = (
    ("{salutation}您好，我是{agent}，想回访一下之前的问题，处理结果您还满意吗？",
     "{salutation}您好，距离上次处理已经几天了，想确认一下问题没有再出现吧？"),
    ("Dear {salutation}, this is {agent} following up: are you satisfied with how we "
     "resolved it?",),
)
CLOSE_NOTES = (
    "回访：顾客表示满意，同意结案。",
    "回访：顾客表示问题已解决，没有其他诉求。",
    "回访：顾客对处理速度表示认可。",
    "三次回访电话未接通，按已解决结案。",
)
WAIT = (
    ("为便于尽快核实，麻烦您提供{wait}，收到后我们立即继续处理。",),
    ("To move forward quickly, could you please send us {wait}? We will continue as soon as "
     "we have it.",),
)
WAIT_BACK_NOTES = ("顾客已补充{wait}，继续处理。", "已收到顾客提供的{wait}。")
REOPEN = (
    ("非常抱歉问题没有彻底解决，我们重新跟进，今天会联系您。",),
    ("We are very sorry it is not fully resolved. We have reopened your case and will call "
     "you today.",),
)
REOPEN_NOTES = (
    "回访时顾客表示问题再次出现，重新处理。",
    "回访时顾客表示补偿还没有到账，重新核查。",
    "回访时顾客对结果不满意，要求主管介入。",
)
DUPLICATE = (
    ("您反映的问题已在 {original} 中处理，本单合并到该单跟进，不会重复打扰您。",),
    ("Your complaint is already being handled as {original}; we have merged this one into "
     "it.",),
)
DUPLICATE_NOTES = (
    "同一顾客通过不同渠道重复反映，已合并到 {original}。",
    "与 {original} 为同一事件，顾客再次来电催促，已告知正在处理。",
)
DUPLICATE_PREFIXES = (
    ("之前已经反映过一次了，再说一遍：", "电话里说过了，再留个言：", "第二次反映："),
    ("I already reported this, but here it is again: ",),
)

# Suggestions and questions are answered with thanks, not apologies.
THANK = (
    ("{salutation}您好，我是{agent}，感谢您提出的{issue}，我们会认真研究并尽快回复您。",),
    ("Dear {salutation}, thank you for your {issue}. I am {agent} and will get back to you "
     "shortly.",),
)
CONSIDER = (
    ("我们正在和相关部门商量，有结果马上告诉您。",),
    ("We are discussing it with the team concerned and will let you know.",),
)
OFFER = (
    ("{salutation}您好，我们的安排是：{remedy}。您看可以吗？",),
    ("Dear {salutation}, here is what we will do: {remedy}. Does that work for you?",),
)
DONE = (
    ("{salutation}您好，{remedy}已经落实，感谢您的宝贵意见。",),
    ("Dear {salutation}, it is done: {remedy}. Thank you for taking the time to write.",),
)
HANDOVER_TO_COLLEAGUE = (
    "我明后两天轮休，转交同事继续跟进，已交代处理进展。",
    "转交熟悉该情况的同事处理。",
    "工作量调整，转交同事跟进。",
    "顾客方便的联系时间是晚班，转交晚班同事。",
)
HANDOVER_TO_SUPERVISOR = (
    "顾客要求由主管出面处理。",
    "涉及赔付金额较大，转主管处理。",
    "顾客情绪激动，升级主管处理。",
)
# A better second offer: the first one plus a voucher.
SWEETENER = ("，另加赠{extra}元代金券", ", plus a voucher for {extra} yuan")
INTERNAL_NOTES = (
    "已调取监控核实，情况属实。",
    "已与当班负责人沟通，确认问题。",
    "顾客情绪较激动，注意沟通方式，先安抚再解决。",
    "该顾客近期第二次反映同类问题，重点关注。",
    "已电话联系顾客，沟通顺畅。",
)


def order_reference(kind: str, day: date, rng: random.Random) -> str:
    """An order, bill, booking or policy number of the kind a scenario names, as the
    businesses of the demo write them."""
    return order_reference_on(kind, day.isoformat(), rng.randint)


def order_reference_on(kind: str, day: str, randint: Callable[[int, int], int]) -> str:
    """`order_reference` for a day written YYYY-MM-DD and a `random.randint`-like draw:
    what bench/generate.py has at hand for each of a million cases."""
    digits = day[:4] + day[5:7] + day[8:]
    if kind == "bill":
        return f"CWF{digits}{randint(1, 9999):04d}"
    if kind == "takeaway":
        return f"TK{digits}{randint(0, 999_999):06d}"
    if kind == "booking":
        return f"YL{randint(10_000_000, 99_999_999)}"
    if kind == "fee":
        return f"AJ-WYF-{day[:4]}-{randint(1, 99_999):05d}"
    return f"BX{digits}{randint(1, 999):03d}"
