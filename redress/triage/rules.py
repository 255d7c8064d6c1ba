"""What a seasoned supervisor notices before reading closely: the words that flag a danger,
a threat, a customer about to leave, a failure that happened before, a sneer, a request.

Every lexicon here was written for Redress from the labelling guidelines of TAXONOMY.md;
none is taken from a third-party list. Rules read the normalised text (see normalise.py:
simplified, lower case). Each rule yields hits with their span, so that the words are shown
back to staff as cues.

Rules do two things (engine.py): their hits are features of the learned model, and the
`risk:*` rules force a risk on — a safety hazard or a threat must never be missed — unless
the words are negated ("没有受伤", "no one was hurt", "不是要退款").
"""

import re
from dataclasses import dataclass
from typing import Any

from redress.triage import polarity as _polarity

# A negation shortly before a term cancels it (within the same clause).
_NEG_ZH = re.compile(r"(没有|没|未|无|并未|并没|不曾|不是|从未|别|幸好没|还好没|好在没)"
                     r"(?!想到|料到|注意|办法|用|人理|人管|人回)")
_NEG_EN = re.compile(r"\b(no|not|never|nobody|none|without|neither|nor|luckily no)\b|n't\b")
_REFUSE_ZH = re.compile(r"(不要|不需要|不用|不是要|不是为了|不图|不稀罕|无需|不求|不想要|不在乎|"
                        r"不是想要|并不想)")
_REFUSE_EN = re.compile(r"(don't want|do not want|not asking for|not looking for|don't need|"
                        r"do not need|not after|not about the|no need for|not interested in|"
                        r"not asking|not expecting|not want)")
_CLAUSE = re.compile(r"[，。！？,.!?；;：:\n]")

# feature name → (pattern, how it may be cancelled: "neg" | "refuse" | "")
_RULES: dict[str, tuple[str, str]] = {
    # ---- risks -------------------------------------------------------------------
    "risk:safety": (
        r"受伤|受了伤|伤到|伤了|伤口|烫伤|烧伤|割伤|划伤|划破|扎伤|砸伤|砸到|摔倒|摔伤|摔了|滑倒|"
        r"跌倒|骨折|流血|出血|缝了?\d*针|送医|送去医院|进了医院|去了医院|"
        r"食物中毒|中毒|拉肚子|腹泻|上吐下泻|呕吐|吐了|肚子疼|胃疼|过敏(?!原)|起疹|红疹|疹子|喘不上|"
        r"烧焦|火花|冒火|发烫|夹了人|夹到|被夹|摔进|差点(摔|被|吞|砸|撞|割|吃|咽|烫|电|夹)|割到|烫红|焦黑|滋滋|撬锁|钢丝(?!球)|针头|感染|对身体|伤害|事故|后怕|发抖(?!音)|输错(液|药|血)|床虱|被咬|咬得|"
        r"刹车.{0,6}(软|失灵|不灵|异响)|尖角|电线(垂|裸露|外露)|井盖|不敢(用|开|碰|住|吃)|胃里|"
        r"触电|漏电|电到|被电|电击|(?<!打不)(?<!点不)(?<!打不了)着火|起火|冒烟|火灾|烧起来|爆炸|炸了|煤气味|燃气味|漏气|泄漏|"
        r"刹车失灵|刹车失效|刹不住|方向盘失灵|玻璃碎|碎玻璃|玻璃渣|玻璃碴|头晕|窒息|"
        r"困在电梯|电梯.{0,4}困|被困|卡在电梯|掉下来|坍塌|砸下来|安全隐患|危险(?!辣|操作|区)|烫到|"
        r"一氧化碳|有毒|嘶嘶|摔了一跤|摔了个|肿了|红肿|起了?泡|(?<!被)水泡(?!到|了|过|坏|的)|烫得|吃进(去|肚)|喝进(去|肚)|咽下去|"
        r"卡在喉咙|卡喉咙|卡住喉咙|鱼刺卡|硌(到|了|坏)?牙|崩(了|掉)?.{0,2}牙|牙(崩|裂|断|磕)|擦伤|淤青|撞倒|撞伤|"
        r"压(到|在|伤).{0,3}(脚|手|腿|头|孩子|人)|崴(了|到)?脚|扭伤|刺痛|红了一大片|胃(不舒服|难受|痛)|"
        r"焦糊味|烧焦味|焦味|冒黑烟|冒出.{0,4}(烟|火)|插头.{0,6}(烫|化|焦|熔)|烫手|过热|"
        r"心有余悸|提心吊胆|跟踪|尾随|骚扰|闯进|刷开.{0,4}门|陌生人.{0,6}(进|开)|拿错.{0,2}药|"
        r"发错.{0,2}药|剂量|(天花板|吊顶|墙皮).{0,6}(塌|脱落|下垂)|"
        r"(救生衣|安全带|安全锁|护栏|扶手|刹车|安全气囊).{0,8}(坏|破|扣不上|失效|没用|松|断|不灵)|"
        r"(消防通道|安全出口|逃生通道).{0,6}(堵|锁|占)|泡在水里|"
        r"(菜|饭|汤|粥|面|食物|外卖|饮料|奶茶|蛋糕|包子|饺子|沙拉)里.{0,4}(苍蝇|虫|蟑螂|铁丝|钢丝|玻璃|塑料|钉子|"
        r"异物|头发|抹布)|吃出.{0,4}(苍蝇|虫|蟑螂|铁丝|钢丝|玻璃|塑料|钉子|异物|头发|抹布)|松动.{0,6}(栏杆|扶手)|(栏杆|扶手|护栏).{0,6}(松|晃|断)|"
        r"\b(injur\w*|hurt|burn(ed|t|s)?|scald\w*|bleed\w*|bleeding|a&e|er visit|is it safe|"
        r"safe to|bites|bed ?bugs|blister\w*|very hot|headache|nearly (got|hit|fell)|"
        r"almost (got|hit|fell)|lost all power|what if (it|that) (was|had been)|"
        r"could have (killed|hurt|injured)|came down on|brake warning|"
        r"hit (my|her|his) (head|wife|son|daughter|husband)|"
        r"food poisoning|poison\w*|vomit\w*|threw up|throwing up|diarrh\w*|allerg(y|ic|ies)|rash|"
        r"electric shock|shocked me|sparks?|sparking|on fire|caught fire|"
        r"(?<!cigarette )(?<!non-)smok(e|ing)(?! alarm)|"
        r"gas leak|smell(s|ed)? of gas|gas smell|brakes? fail\w*|brakes? (didn't|did not) work|"
        r"broken glass|shards?|glass in|dizzy|fever|stuck in the (lift|elevator)|trapped|"
        r"collaps\w*|fell (on|off|down)|slipp?ed|tripped|danger\w*|hazard\w*|unsafe|"
        r"carbon monoxide|fainted|choking|choked|stitches|infect\w*|hissing|"
        r"(railing|banister|handrail) (is |was )?(loose|broken|wobbl\w*)|"
        r"almost (leaned|fallen|fell)|too hot to (touch|hold)|melt(ed|ing)|overheat\w*|"
        r"chipped (my|a|his|her) tooth|(nearly|almost) swallow\w*|swallow(ed)? (it|a|the)|"
        r"bruis\w*|fish ?bone|stuck in (his|her|my|their) throat|rear-ended|"
        r"let (himself|herself|themselves) in|walked in (on|while)|emergency brak\w*|"
        r"sagging|scorch\w*|burning smell|smell of burning|smell(s|ed)? (like )?burn\w*|"
        r"(seat ?belt|life ?jacket|smoke alarm|fire alarm|fire exit)s? .{0,20}(broken|missing|"
        r"blocked|not working|faulty|locked)|wrong (medicine|medication|dose|drug|pills)|"
        r"(double|twice) (his|her|the|my) (prescribed )?dose|"
        r"fire hazard)\b",
        "neg"),
    "hint:safety": (
        r"住院|急诊|挂水|输液|霉变|发霉|生虫|虫子|异物|铁丝|钉子|变质|医院|医生|住院|发烧|孩子|老人|宝宝|"
        r"\b(mou?ld\w*|maggots?|cockroach\w*|insects?|bugs?|fire|hospital\w*|doctor|blood|"
        r"baby|kids?|insulin|medication)\b",
        "neg"),
    "risk:legal_media": (
        r"12315|12345|12331|消协|消费者协会|市场监管|监管局|工商局|工商|银保监|金融监管|银监|保监|"
        r"民航局|工信部|邮政局|卫健委|食药监|律师|起诉|法院|告你们|打官司|法律途径|诉讼|法律责任|"
        r"维权|媒体|记者|电视台|报社|报纸|曝光|黑猫|上热搜|热搜|每个平台|发(到|在)?(网上|微博|朋友圈|抖音|"
        r"小红书|大众点评|点评|群里|业主群|本地生活号|公众号|网)|让(更多|所有|大家|全网|更多的|身边)的?人(都)?知道|"
        r"到处(说|发|宣传)|公之于众|(住建|邮政管理|市场监督管理|交通|环保|卫生|教育|公安|税务|"
        r"物价|质监|文旅|城管|房管|民政|人社|通信管理)局|投诉到|发出来|发视频|"
        r"挂(你们|网上|出来)|各大平台|所有平台|让大家|大家(看看|评评理|都来看|自己看)|让全城|"
        r"一直发(帖|到|在|微博|视频|朋友圈)|发上网|挂网上|贴满(了)?(整个|全|小区|楼道|电梯|大街|街|门口|网)|12300|12328|12326|12345|旅游局|文旅局|"
        r"(?<!做)(?<!搞)(?<!跑)新闻(?!联播)|分享给(所有|更多|大家|身边)|让.{0,3}(所有|更多|大家|身边)的?(朋友|人|业主|家长|同事)(都)?知道|"
        r"(所有|每个)(的)?(朋友|业主|家长|群).{0,4}(知道|看看)|评评理|"
        r"\b(lawyers?|attorney|solicitor|sue|suing|lawsuit|legal action|legal advice|court|"
        r"small claims|regulator|ombudsman|trading standards|bbb|better business bureau|ftc|fca|"
        r"press|journalists?|newspaper|reporter|media|go public|going public|"
        r"post (this|it|about)|posting (this|it|about)|tell (everyone|everybody|all my)|"
        r"followers|twitter|tiktok|reddit|instagram|facebook|social media|viral|"
        r"review everywhere|reviews everywhere|every review site|consumer (council|association|"
        r"protection|rights)|chargeback|report (you|this) to|trustpilot|google reviews?|"
        r"warn (others|everyone|people)|everyone (will|should) know|going to the|"
        r"photos below|see for yourselves|(the|local) (papers|news)|news desk|"
        r"(reviews?|posts?) (will|are going to) follow|every (platform|site|forum)|"
        r"(every|all the|all my) (parents?|neighbou?rs|friends|colleagues) (will )?(hear|know)|"
        r"make sure (every|all|everyone)|ombudsman|watchdog)\b",
        ""),
    "hint:legal_media": (r"报警|警察|派出所|微博|公众号|媒体|发帖|网上说|朋友圈|抖音|小红书|"
                         r"\b(police|twitter|facebook|instagram|online)\b", ""),
    "risk:churn": (
        r"销户|注销|退卡|退保(?!(申请|成功|金|手续|流程|费))|在也不|换运营商|换供应商|换保险|销卡|退会员|退掉会员|转网|携号转网|再也不|不会再|以后不(来|去|买|用|住|坐)|"
        r"换一家|换别家|换家|去别家|换个(平台|银行|酒店|店|牌子|品牌)|取消(会员|订阅|合同|套餐|账户|"
        r"服务|宽带)|退订|解约|不续(费|约|卡)|拉黑|卸载|最后一次(来|买|用|住|坐|光顾)|永远不|"
        r"再见了|不再(光顾|选择|来|用|购买|合作)|不来了|不会来了|去隔壁|以后.{0,4}去(别|社区|隔壁)|换(银行|移动|联通|电信|物业|品牌|掉)|走人|"
        r"转走|转到别的|别家|别的(银行|平台|店|公司)|卸了|不想再(来|买|用|住|坐|光顾|去|选|合作|续)|受够了|不续|"
        r"不打算续|(该|早该|得|要)换(了|掉)|换掉你们|(不再|再也不|不会再|以后不)(续|交|在你们)|"
        r"\b(cancel\w* (my |the |our )?(account|subscription|membership|contract|plan|service|"
        r"policy|card)|close (my |our )?account|closing (my |our )?account|never again|"
        r"never (be )?(coming|come|going|go) back|never (use|order|shop|fly|stay|buy|book|eat)|"
        r"switch(ing)? to(?! your)|i'?m switching|"
        r"switching (provider|bank|networks?|supplier)|port(ing)? (out|my number)|"
        r"(use|using|try|trying) (a different|another|someone else)|"
        r"clos(e|ing) (all )?(\w+ )?(of )?(my|our) accounts?|"
        r"(shopping|shop|ordering|banking|flying) elsewhere|"
        r"never (flying|ordering|shopping|staying|booking|buying|using|eating|coming)|"
        r"take my (business|money) elsewhere|taking my (business|money)|"
        r"i'?m done with|done with you|lost a customer|won'?t be back|will not be back|"
        r"not coming back|uninstall\w*|unsubscrib\w*|go elsewhere|going elsewhere|"
        r"moving (to|my)|(i am|i'm|we are|we're) cancell?ing|cancel(l)?ing (my|our)|"
        r"leaving (you|your)|find another|last time i (use|order|shop|fly|stay)|"
        r"cancel\w* at renewal|delet\w* (the|this|your|my) app|deleting|registering at another|"
        r"with another|another (airline|bank|provider|clinic|company|carrier|hotel)|ever again|"
        r"i'?m done|never buying|not ordering|last straw|competitor)\b",
        ""),
    "risk:repeat": (
        r"第[二三四五六七八九十两几\dn]+次(?!(购买|买|来|入住|住|回购|光顾|下单|点|选择|合作|乘坐|坐|用|办理|预订|订|吃))|第[二三四五六七八九十两几\dn]+回(?!(购买|买|来|入住|住|回购|光顾|下单|点))|(上周|上个月|上回|昨天|前天)(来)?也|又连|再次|再一次|又一次|"
        r"又一回|双叒|又是这样|又来了|又出现|又发生|上次也|上回也|之前也|以前也|"
        r"屡次|(已经|先后|曾|曾经|都)多次|多次(投诉|反映|联系|催|打电话|致电|报修|出现|发生|反馈|沟通|提出|要求|找)|反复(出现|发生|坏|故障|投诉|反映|催|联系|报修|维修|修)|反反复复|一而再|三番五次|又坏|又错|又迟|又晚|又漏|又丢|又停|又掉|"
        r"又断|又卡|又没|又扣|又拖|又出|又犯|又崩|又挂|又闪退|又失效|又不能|又不行|又打不|又漏|又少|又错|"
        r"(先后|已经|连续|前后|累计|一共|总共)[两二三四五六七八九十几\d]+(次|回|趟|遍)|再三|"
        r"(打|问|催|找|联系|反映|投诉|报修|提交|修|换|退|跑)了?[两二三四五六七八九十几\d]+(次|回|趟|遍)|"
        r"[两二三四五六七八九十几]次都|"
        r"已经(投诉|反映|反馈|打|联系|说)过|投诉过|反映过|反馈过|说过(好|很)?多次|两次了|三次了|"
        r"几次了|好几次|n次|无数次|说了(多少|好多|无数|几)(次|遍|回)|多少(次|遍|回)了|不止一次|一次又一次|"
        r"连续[两二三四五六七八九十几\d]+(次|单|回|趟|个月|周|天|年)|每(个月|周|星期|次|回)都(来|会|要|这样|是|出)|"
        r"(跟|和|同)上次一样|这次(还是|又|也)|上次来也|老毛病|同样的(问题|情况|事)|"
        r"\b((?<!never )(?<!order )(?<!come )(?<!stay )(?<!visit )(?<!buy )(?<!shop )"
        r"(?<!fly )(?<!book )again|second time|third time|fourth time|fifth time|2nd time|"
        r"3rd time|4th time|"
        r"every (single )?time|keeps? (happening|breaking|failing|doing)|repeatedly|"
        r"already (complained|reported|called|contacted|emailed|raised|written|told)|"
        r"last time (too|as well)|not the first time|same (problem|issue|thing) (as|again)|"
        r"(two|three|four|five|six|seven|several|multiple|many|countless|\d+) times"
        r"(?! (the|as|more|higher|bigger|over|what|my|our))|"
        r"(\d+|two|three|four|five|six|several|multiple|many|countless) (emails|calls|visits|"
        r"letters|messages|attempts|complaints|occasions)|in a row|separate (visits|occasions)|"
        r"same .{1,30} as (last|before)|as last (year|time|week|month)|"
        r"(second|third|fourth|fifth|sixth|2nd|3rd|4th|5th) (email|e-mail|call|letter|message|"
        r"request|complaint|visit from|engineer|technician|attempt|year running|missed|order|"
        r"delivery|one|booking|stay|appointment)|"
        r"once more|yet another|"
        r"still (not|hasn't|haven't|broken)|happened before|this keeps)\b",
        ""),
    "hint:repeat": (r"每次都|每回都|次次|老是|总是|又|也是|还是|依然|仍然|照样|"
                    r"\b(again|still|same)\b", ""),
    # ---- emotion -----------------------------------------------------------------
    "emo:angry": (
        r"气死|太过分|过分|什么破|破\w{0,2}(店|公司|平台|酒店|银行|东西)|垃圾|恶心|混蛋|骗子|坑人|"
        r"无耻|滚|忍无可忍|岂有此理|离谱|奇葩|愤怒|火大|气炸|他妈|tm|tmd|卧槽|我靠|缺德|黑心|"
        r"不要脸|欺人太甚|强烈|!!|！！|"
        r"\b(ridiculous|unacceptable|disgusting|disgraceful|outrageous|furious|livid|pathetic|"
        r"scam|scammers|idiots?|incompetent|worst|joke of a|shameful|appalling|damn|wtf|"
        r"absolutely|sick of|fed up|angry)\b",
        ""),
    "emo:anxious": (
        r"怎么办|急|着急|担心|害怕|焦虑|明天就要|来不及|万一|会不会|求求|求助|不知所措|睡不着|"
        r"慌|心慌|赶时间|马上要|后天就|下午就要|孩子|老人|\b(urgent|urgently|worried|worry|"
        r"anxious|scared|afraid|panic\w*|asap|deadline|tomorrow|will i lose|what if|help me|"
        r"please help|desperate|nervous|stressed)\b",
        ""),
    "emo:confused": (
        r"看不懂|不明白|不懂|什么意思|怎么算|怎么计算|为什么会|搞不清|糊涂|不理解|没搞懂|没看懂|"
        r"一头雾水|莫名其妙|是什么|是啥|啥意思|怎么回事|到底|懵|\b(confus\w*|don'?t understand|"
        r"do not understand|how is (this|that) calculated|what does .{1,30} mean|unclear|"
        r"makes no sense|no idea why|can someone explain|puzzled|baffled|not sure why|"
        r"how come|what is this charge)\b",
        ""),
    "emo:humorous": (
        r"太['\"“”‘’「」『』][^'\"“”‘’「」『』，。！？]{1,4}['\"“”‘’「」『』]|"
        r"['\"“”‘’「」『』](好|棒|贴心|周到|高效|专业|快|优质|良心|服务)"
        r"[^，。！？]{0,3}['\"“”‘’「」『』]|呵呵|笑死|哈哈|谢谢你们让我|感谢\S{0,6}让我|"
        r"真行|佩服|服了|绝了|不愧是|可真会|好一个|厉害了|恭喜|免费(健身|桑拿|体验|蒸|减肥|"
        r"锻炼|爬)|长见识|开眼|人才|🙂|😅|🤣|😂|👏|🙃|"
        r"\b(thanks for nothing|great job|well done|bravo|10/10|would .{1,20} again|"
        r"love (it )?when|lol|lmao|haha\w*|oh joy|just what i needed|congrats|"
        r"congratulations|genius|slow clap|free (workout|sauna|gym)|what a treat|"
        r"how (lovely|wonderful|delightful)|nothing says|pro tip|thanks a lot)\b",
        ""),
    "emo:aggrieved": (
        r"凭什么|没人理|不理|没人管|委屈|老客户|一直|寒心|失望|心寒|不公平|区别对待|敷衍|踢皮球|"
        r"推来推去|推脱|不当回事|冷落|无视|伤心|难过|心累|算了|被忽视|被骗|多年|这么多年|"
        r"\b(nobody (listens|cares|responded|replied|called)|no one (listens|cares|responded|"
        r"replied|called)|ignored|unfair|unfairly|loyal|years as a customer|let down|"
        r"disappointed|disappointing|hurt(ful)?|treated like|brushed off|fobbed off|"
        r"passed around|runaround|valued customer|long-?time customer|feel cheated|"
        r"upset|sad)\b",
        ""),
    # ---- kind --------------------------------------------------------------------
    "kind:question": (
        r"\?|？|吗|请问|能否|是否|可不可以|可以.{0,8}吗|怎么(办理|申请|操作|预约|开|查|退|改|用)|"
        r"如何|多少钱|几点|哪里|有没有|想咨询|咨询|想问|想了解|"
        r"\b(how do i|how can i|can i|could i|is it possible|do you|does the|are you|"
        r"what time|when (is|does|do|will)|where (is|can|do)|which|is there|are there|"
        r"i'?d like to know|wondering|enquir\w*|inquir\w*|question)\b",
        ""),
    "kind:suggestion": (
        r"建议|希望(能|可以|贵)|如果能|要是能|可以考虑|不妨|最好能|提个|意见|能不能增加|增加一个|"
        r"增设|改进|改善|优化|\b(suggest\w*|would be (nice|great|helpful|better)|consider\w*|"
        r"could you add|please add|it would help|idea|recommend\w*|feature request|"
        r"improvement|improve|wish (you|there))\b",
        ""),
    "kind:praise": (
        r"谢谢|感谢|多谢|表扬|点赞|好评|赞|满意|贴心|周到|热情|专业|给力|五星|棒|辛苦了|耐心|"
        r"细心|暖心|感动|推荐|好吃|干净|舒服|不错|很好|非常好|值得|惊喜|"
        r"\b(thanks?|thank you|great|excellent|amazing|wonderful|appreciate\w*|kudos|"
        r"shout ?out|prais\w*|helpful|friendly|lovely|fantastic|brilliant|superb|outstanding|"
        r"perfect|delicious|spotless|recommend|impressed|above and beyond|five stars?|5 stars?)\b",
        ""),
    "kind:negative": (
        r"差|坏|烂|脏|慢|错|没(有)?收到|不能用|用不了|问题|故障|投诉|难吃|臭|冷|退款|失败|不行|"
        r"不好|不满|不能|无法|失望|一星|差评|迟迟|至今|还没|拖|乱|少了|多扣|扣了|态度|骂|"
        r"\b(broken|dirty|late|wrong|never arrived|rude|complain\w*|faulty|defective|"
        r"disappoint\w*|poor|terrible|awful|horrible|bad|failed|doesn'?t work|not working|"
        r"still waiting|one star|1 star|overcharged|charged twice|missing|delayed|cancelled|"
        r"refund|problem|issue)\b",
        ""),
    # ---- polarity: how the customer judges what they got (negated: the opposite) ----
    "pol:neg": (
        _polarity.NEGATIVE_ZH + r"|"
        r"\b(bad|poor|terrible|awful|disappoint\w*|worst|dirty|noisy|slow|rude|broken|"
        r"overpriced|not worth|waste|avoid|mediocre|horrible|useless)\b",
        "pol"),
    "pol:pos": (
        _polarity.POSITIVE_ZH + r"|"
        r"\b(good|great|nice|love\w*|excellent|recommend\w*|clean|comfortable|friendly|"
        r"perfect|worth it|lovely|amazing|happy)\b",
        "pol"),
    # ---- scenario ----------------------------------------------------------------
    "scn:product": (
        r"坏了|坏的|质量|破损|破了|漏水|漏|发霉|变质|馊|异味|不新鲜|生的|没熟|夹生|难吃|脏|"
        r"头发|虫|故障|死机|黑屏|开不了机|不制冷|不出水|不亮|裂|断了|掉色|起球|尺码|做工|"
        r"瑕疵|零件|刹车|噪音|异响|\b(broken|faulty|defective|stopped working|doesn'?t work|"
        r"leak\w*|mou?ld\w*|stale|undercooked|raw|cold food|dirty|stain\w*|hair in|crack\w*|"
        r"quality|fell apart|noisy|noise|smell\w*|spoiled|rotten|malfunction\w*|"
        r"won'?t (turn|start|charge))\b",
        ""),
    "scn:process": (
        r"扣款|扣费|扣了两次|重复扣|多扣|账单|收费|计费|系统|app|网站|网页|崩|闪退|登录不|"
        r"预订|订单|丢失|没有记录|查不到|配送|物流|快递|延误|晚点|迟到|排队|等了|流程|规定|政策|"
        r"退款.{0,4}(没|未|还没|迟迟)|到账|审核|积分|发票|自动续费|"
        r"\b(charged twice|double charg\w*|overcharg\w*|bill\w*|invoice|system|app|website|"
        r"site|crash\w*|outage|down|booking|reservation|lost|order|delivery|delivered|"
        r"shipping|dispatch|delay\w*|queue|waited|wait|policy|process|refund (still|hasn'?t|"
        r"not)|pending|subscription|auto-?renew\w*|login|log in|password)\b",
        ""),
    "scn:human": (
        r"态度|服务员|员工|前台|客服|店员|师傅|司机|骑手|快递员|经理|销售|工作人员|保安|导购|"
        r"护士|医生|老师|柜员|理财经理|骂|吼|凶|不耐烦|爱理不理|翻白眼|甩脸|忘了|忘记|搞错|"
        r"误导|忽悠|骗|推销|乱说|说错|粗心|不小心|随意|玩手机|"
        r"\b(rude|staff|employee|waiter|waitress|receptionist|agent|driver|manager|"
        r"salesperson|sales rep|technician|cashier|clerk|nurse|doctor|attitude|shouted|yelled|"
        r"ignored us|forgot|forgotten|misinform\w*|mis-?sold|wrong advice|told me|careless\w*|"
        r"unprofessional|laughed at|swore|condescending|on (his|her) phone)\b",
        ""),
    # ---- wants -------------------------------------------------------------------
    "want:refund": (r"退款|退钱|退费|退还|全额退|退回|返还|把钱退|钱退|退我|"
                    r"\b(refund\w*|money back|reimburs\w*|pay me back)\b", "refuse"),
    "want:replacement": (r"换货|换一个|换个新|换新|换一台|换一件|换一份|调换|更换|补发|"
                         r"\b(replace\w*|exchange|new one|swap\w*|send (me )?another)\b", "refuse"),
    "want:repair": (r"修好|修一下|维修|修理|上门修|检修|来修|修复|保修|报修|修一修|求修|"
                    r"(赶紧|快|快点|尽快|马上|麻烦|请|帮忙|帮我|给我|派人|找人|来人|安排人?)修|"
                    r"派(个|人|师傅|电工|工人)|(来|派|安排)(个)?(人|师傅)(来)?(看|修|处理|检查|上门)|"
                    r"上门(看|检查|检测|处理)|(修|弄|搞)不好|"
                    r"\b(repair\w*|fix (it|this|the|your|my|that)|fixed|fixing|send (a|an|someone|"
                    r"somebody) (to fix|technician|engineer|plumber|electrician)|technician|"
                    r"engineer|send (someone|somebody)|come (out|round|over) and|look at it|"
                    r"get it working|sort (it|the .{1,12}) out)\b", "refuse"),
    "want:redo": (r"重做|重新(做|上|安排|送|配送|派送|发|办|处理|洗|打扫|清洁|装|安装|剪|烫|染|拍|"
                  r"打印|寄)|再送|补送|重洗|重上|重新来|再做一|"
                  r"\b(redo|re-do|remake|re-?deliver\w*|resend|send (it )?again|serve again|"
                  r"do it again|re-?clean\w*|rebook\w*|re-?install\w*|come back and)\b", "refuse"),
    "want:compensation": (r"赔偿|补偿|赔|代金券|优惠券|折扣|打折|免单|积分|红包|抵扣|减免|"
                          r"(给|送|发)(张|个|点|些)?(券|小菜|甜品|饮料|礼品|礼物)|意思一下|表示一下|表示表示|报销|"
                          r"承担.{0,6}(费|损失|钱)|(费用|损失|医药费|误工费|干洗费)(你们|由你们|要你们)|"
                          r"压压惊|补回|"
                          r"\b(compensat\w*|voucher|coupon|discount|credit|gift|free (night|meal|"
                          r"month|upgrade)|goodwill|make (it|this) up|cover (the|my|our) (cost|"
                          r"bill|parking|taxi|dry-?cleaning|expenses?|fees?)|pay for (the|my|our)|"
                          r"off the (rate|bill|price)|bill is coming|something for|"
                          r"out of pocket|reimburse\w*)\b", "refuse"),
    "want:apology": (r"道歉|赔礼|说法|交代|认错|赔不是|认个错|尊重|不被尊重|当(成|作)?空气|"
                     r"\b(apolog\w*|say sorry|an apology|sorry from|acknowledge|respect\w*|"
                     r"how (you|they) (treat|spoke|talk))\b", "refuse"),
    "want:explanation": (r"解释|为什么|说明|原因|怎么回事|给个理由|凭什么|"
                         r"\b(explain\w*|explanation|why|what happened|reason)\b", "refuse"),
    "want:fix_fast": (r"尽快|马上|立刻|立即|赶紧|今天(之内|内|必须|就)|尽早|越快越好|快点|抓紧|"
                      r"急需|\b(asap|immediately|right away|right now|today|urgent\w*|"
                      r"as soon as possible|quickly|by tomorrow|within the hour)\b", "refuse"),
    "want:accountability": (r"处理(一下)?(那个|这个|该|这位|那位)?(员工|师傅|司机|服务员|人员|骑手|"
                            r"快递员|客服|店员|经理)|处分|开除|辞退|严肃处理|追责|整改|改进流程|"
                            r"批评教育|培训一下|管管|给个处理|严查|查(一下|清楚)?(是)?谁|必须处理|"
                            r"(处理|追究|查处)(涉事|相关|负责|那)|负责的人|以后(注意|改|别再)|加强(管理|培训)|"
                            r"\b(disciplin\w*|fire (him|her|them|that|this|the)|held accountable|"
                            r"accountab\w*|retrain\w*|change (your|the) (process|policy)|"
                            r"training for|someone (should|must) be|consequences|spoken to|"
                            r"(remind|tell|brief) (your |the )?(staff|crew|team|drivers?|riders?)|"
                            r"pull (that|the) batch|"
                            r"check your|look into (your|the|this|him|her)|who is (going to be )?"
                            r"(responsible|held))\b", "refuse"),
}

# A "又" that joins two qualities ("又冷又硬", "便宜又好吃") is not a repetition.
_YOU_PAIR = re.compile(r"又[^又，。！？,.!?]{1,4}又")

RULE_NAMES: tuple[str, ...] = tuple(_RULES)
_LATIN = re.compile(r"[a-z]")


def _first_chars(pattern: str) -> str | None:
    """The characters a match of `pattern` can begin with, or None when that cannot be
    told (a branch starting with a wildcard, a repeat, …)."""
    from re import _parser as parser  # type: ignore[attr-defined]

    def first(items: list[tuple[Any, Any]]) -> set[str] | None:
        for op, value in items:
            name = str(op)
            if name in ("ASSERT", "ASSERT_NOT") and value[0] < 0:
                continue  # a look-behind consumes nothing: the next item decides
            if name == "LITERAL":
                return {chr(value)}
            if name == "SUBPATTERN":
                return first(list(value[-1]))
            if name == "BRANCH":
                found: set[str] = set()
                for branch in value[1]:
                    chars = first(list(branch))
                    if chars is None:
                        return None
                    found |= chars
                return found
            if name == "IN" and all(str(o) == "LITERAL" for o, _v in value):
                return {chr(v) for _o, v in value}
            return None
        return None

    chars = first(list(parser.parse(pattern)))
    return "".join(sorted(chars)) if chars else None


def _compile(pattern: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """Each rule's Chinese alternatives and its English ones (`\\b(...)`) apart: a text
    with no Latin letters skips the English half, which is most of the cost. The Chinese
    half goes behind a look-ahead for the characters it can begin with, so that most
    positions are ruled out by one test rather than by trying every alternative."""
    chinese, marker, english = pattern.partition("|\\b(")
    if not marker:
        if pattern.startswith("\\b("):
            return None, re.compile(pattern)
        chinese, english = pattern, ""
    starts = _first_chars(chinese)
    if starts:
        chinese = "(?=[" + re.escape(starts) + "])(?:" + chinese + ")"
    return re.compile(chinese), re.compile("\\b(" + english) if marker else None


_COMPILED = {name: (*_compile(pattern), mode) for name, (pattern, mode) in _RULES.items()}


@dataclass(frozen=True)
class Hit:
    rule: str
    start: int
    end: int
    negated: bool = False


def _clause_before(text: str, start: int, width: int) -> str:
    window = text[max(0, start - width):start]
    parts = _CLAUSE.split(window)
    return parts[-1] if parts else ""


def _cancelled(text: str, start: int, mode: str) -> bool:
    if not mode:
        return False
    is_zh = start > 0 and "\u4e00" <= text[start - 1] <= "\u9fff" or (
        "\u4e00" <= text[start] <= "\u9fff")
    if mode == "pol":
        if is_zh:
            return _polarity.negated_before(_clause_before(text, start, 6))
        return bool(_NEG_EN.search(_clause_before(text, start, 30)))
    if mode == "neg":
        if is_zh:
            return bool(_NEG_ZH.search(_clause_before(text, start, 6)))
        return bool(_NEG_EN.search(_clause_before(text, start, 30)))
    # "refuse": the customer says they do not want it.
    if is_zh:
        return bool(_REFUSE_ZH.search(_clause_before(text, start, 8)))
    return bool(_REFUSE_EN.search(_clause_before(text, start, 30)))


def rule_hits(text: str) -> list[Hit]:
    """Every rule match in the normalised text, marked negated where the words are
    cancelled by the clause before them."""
    hits: list[Hit] = []
    pairs = [m.span() for m in _YOU_PAIR.finditer(text)] if "又" in text else []
    latin = bool(_LATIN.search(text))
    for name, (chinese, english, mode) in _COMPILED.items():
        matches = [*(chinese.finditer(text) if chinese else ()),
                   *(english.finditer(text) if english and latin else ())]
        for match in matches:
            start, end = match.span()
            if end == start:
                continue
            if name in ("risk:repeat", "hint:repeat") and text[start] == "又" and any(
                    a <= start < b for a, b in pairs):
                continue
            hits.append(Hit(name, start, end, _cancelled(text, start, mode)))
    return _polarity_hits(hits)


def _polarity_hits(hits: list[Hit]) -> list[Hit]:
    """Where a positive and a negative match overlap, the first one stands ("没毛病" is
    not also "毛病", "不太满意" not also "满意")."""
    polar = [hit for hit in hits if hit.rule in ("pol:pos", "pol:neg")]
    if len(polar) < 2:
        return hits
    keep = _polarity.resolve([(h.start, h.end, h.rule == "pol:pos") for h in polar])
    dropped = {id(h) for h, k in zip(polar, keep, strict=True) if not k}
    return [hit for hit in hits if id(hit) not in dropped] if dropped else hits


def rule_features(hits: list[Hit]) -> dict[str, float]:
    """Counts per rule, negated hits counted apart (`name~neg`): the model learns what a
    negated hazard means rather than being told."""
    features: dict[str, float] = {}
    for hit in hits:
        key = f"{hit.rule}~neg" if hit.negated else hit.rule
        features[key] = features.get(key, 0.0) + 1.0
    return features


FEATURE_NAMES: tuple[str, ...] = tuple(
    name for rule in RULE_NAMES for name in (rule, f"{rule}~neg"))
