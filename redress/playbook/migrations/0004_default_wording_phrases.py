"""The phrases flagged before a message goes out, as installed: blame shifted onto a
partner, a courier, the system or the customer (F.O.R.D: Don't shift the blame), and
promises beyond one's authority (seed 002: 不能做超出处理权限之外的决定及承诺). Each comes
with the wording to use instead. Administrators edit the list in the admin afterwards."""

from django.db import migrations

BLAME, PROMISE = "blame", "over_promise"

PHRASES = [
    # Chinese: shifting the blame.
    ("zh", BLAME, "这是合作伙伴的问题", "这件事由我们负责跟进，我会和合作方一起尽快为您解决。"),
    ("zh", BLAME, "合作方的问题", "这件事由我们负责跟进，我会和合作方一起尽快为您解决。"),
    ("zh", BLAME, "不归*管", "这件事我来负责联系相关部门，并在约定时间前给您答复。"),
    ("zh", BLAME, "这不是我们的责任", "给您带来不便，我们很抱歉。我来负责把这件事处理好。"),
    ("zh", BLAME, "不关我们的事", "给您带来不便，我们很抱歉。我来负责把这件事处理好。"),
    ("zh", BLAME, "系统问题不怪我们", "是我们的系统出了问题，非常抱歉，我们正在修复，也会为您处理好。"),
    ("zh", BLAME, "你自己没看清楚", "可能是我们没有说明清楚，我再为您详细解释一下。"),
    ("zh", BLAME, "是你自己的问题", "我们一起看看怎么把这件事解决好，我先为您处理。"),
    ("zh", BLAME, "你操作错了", "我再为您说明一下操作步骤，这次我陪您一起完成。"),
    ("zh", BLAME, "这是快递的问题", "配送也是我们服务的一部分，我来联系快递公司并跟进到底。"),
    ("zh", BLAME, "你去找快递", "我们来联系快递公司，您不用再跑一趟，有进展我马上告诉您。"),
    ("zh", BLAME, "这是厂家的问题", "我们来联系厂家，由我们负责给您一个解决方案。"),
    ("zh", BLAME, "不是我负责的", "这件事由我先负责，我会找到能解决的同事并跟进到底。"),
    ("zh", BLAME, "你找别的部门", "我来帮您联系相关部门，您不用再跑一趟。"),
    ("zh", BLAME, "我也没办法", "我来看看能为您做些什么，并尽快给您答复。"),
    ("zh", BLAME, "别的客人都没意见", "谢谢您告诉我们，您的感受对我们很重要。"),
    # Chinese: promising beyond one's authority.
    ("zh", PROMISE, "保证以后再也不会", "我们会采取具体措施防止再次发生，并把改进结果告诉您。"),
    ("zh", PROMISE, "我保证全额赔偿", "我会按规定为您申请补偿，并在约定时间前告诉您结果。"),
    ("zh", PROMISE, "肯定给您全额退款", "我会立即为您提交退款申请，结果会在约定时间前通知您。"),
    ("zh", PROMISE, "一定给您双倍赔偿", "我会按规定为您申请补偿，并在约定时间前告诉您结果。"),
    ("zh", PROMISE, "赔多少都可以", "我会按规定为您申请合理的补偿，并尽快告诉您结果。"),
    ("zh", PROMISE, "百分之百不会再发生", "我们会采取具体措施防止再次发生，并把改进结果告诉您。"),
    # English: shifting the blame.
    ("en", BLAME, "not our fault", "I'm sorry this happened. It is ours to put right, and I will."),
    ("en", BLAME, "system error", "Our system made a mistake. I'm sorry, and I am putting it right for you now."),
    ("en", BLAME, "not our responsibility", "I'm sorry for the trouble. I will take care of this for you."),
    ("en", BLAME, "talk to the courier", "We will contact the courier ourselves and keep you updated."),
    ("en", BLAME, "contact the manufacturer", "We will contact the manufacturer for you and come back with a solution."),
    ("en", BLAME, "partner's fault", "We are responsible for this and will sort it out with our partner for you."),
    ("en", BLAME, "partner's problem", "We are responsible for this and will sort it out with our partner for you."),
    ("en", BLAME, "not my department", "I will take this on and find the colleague who can solve it."),
    ("en", BLAME, "you should have read", "I'm sorry we did not make this clearer; let me explain."),
    ("en", BLAME, "nothing we can do", "Let me see what I can do for you; I will come back to you by a set time."),
    # English: promising beyond one's authority.
    ("en", PROMISE, "we guarantee this will never happen again", "We are taking specific steps so that this does not happen again, and will tell you what they are."),
    ("en", PROMISE, "I promise a full refund", "I will request a refund for you right away and confirm the result by a set time."),
    ("en", PROMISE, "guaranteed full compensation", "I will request compensation for you under our policy and confirm the result by a set time."),
    ("en", PROMISE, "whatever compensation you want", "I will request fair compensation for you under our policy."),
]


def install(apps, schema_editor):
    WordingPhrase = apps.get_model("playbook", "WordingPhrase")
    for language, kind, phrase, suggestion in PHRASES:
        WordingPhrase.objects.get_or_create(
            language=language, phrase=phrase,
            defaults={"kind": kind, "suggestion": suggestion, "active": True},
        )


def remove(apps, schema_editor):
    WordingPhrase = apps.get_model("playbook", "WordingPhrase")
    for language, _kind, phrase, _suggestion in PHRASES:
        WordingPhrase.objects.filter(language=language, phrase=phrase).delete()


class Migration(migrations.Migration):
    dependencies = [("playbook", "0003_answers_search_index")]

    operations = [migrations.RunPython(install, remove)]
