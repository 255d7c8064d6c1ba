"""How a customer judges what they got, in Chinese: the lexicon of the `pol:pos` and
`pol:neg` rules (rules.py), for short consumer reviews and service feedback.

Written for Redress by the team from its own knowledge of the language; no third-party
sentiment list was used or consulted. The text it reads is normalised (simplified, lower
case; see normalise.py).

How it is read:
- Plain entries are words; a few are patterns (with lookarounds) where a short word is
  also part of unrelated words ("差不多", "贵店", "方便面", "臭豆腐").
- Negation: a negator right before a term ("不", "没有", "不太", "不是很", "一点都不")
  turns it around (`negated`, see `negated_before`). Common negated forms are listed on
  the other side too ("不满意", "不好吃" are negative entries, "不贵", "没毛病", "不失望"
  positive ones), and where a positive and a negative match overlap the one that starts
  first (then the longer) is kept (`resolve`), so a fixed phrase is never read backwards.
- Hedges: in reviews "还可以"/"还行"/"说得过去" lean positive, "一般"/"凑合"/"中规中矩"
  negative.
- What a review is about and how it is judged ("房间很干净", "物流太慢", "性价比高" but
  "价格高"): nouns grouped with the judgements that fit them (`_ABOUT`).
- Contrast ("不错，就是太贵") is not marked apart: repeating the hits after "但是/就是…" as
  features of their own was measured and lowered review polarity (the model learns their
  weight from our corpus, where they do not mean what they mean in reviews).
"""

import re

_DEGREE_OF_WRITING = r"(?:很|挺|非常|比较|特别|真|太|相当|十分|蛮|还|也|真的)?"

# ---- positive -------------------------------------------------------------------------
_POSITIVE_WORDS = """
不错 挺好 很好 真好 蛮好 太好了 特别好 非常好 超好 相当好 极好 好极了 好好吃 好棒 很棒 超棒 棒棒
好用 好吃 好喝 好看 好闻 好穿 好听 好玩 耐用 实用 易用 好操作 上手快 简单易用 用着舒服
用起来顺手 顺手 喜欢 爱了 超爱 很爱 喜爱 钟爱 心水 爱不释手 爱死了 爱住了 狠狠爱住 满意 满分
完美 优秀 出色 优质 精致 精美 精良 一流 上乘 大气 上档次 有档次 高级感 质感好 质感很好 超值
物超所值 物有所值 性价比高 性价比很高 性价比超高 性价比挺高 划算 实惠 价格合理 价格公道 价格实惠
物美价廉 价廉物美 良心价 白菜价 捡到宝 赚到了 捡漏 值了 很值 超值得 值这个价 对得起这个价 推荐
强推 强烈推荐 力荐 安利 可以入手 放心购买 放心买 闭眼入 闭眼买 冲冲冲 放心冲 入股不亏 靠谱 放心
安心 信赖 信得过 诚信 良心 正品 行货 保真 货真价实 名副其实 名不虚传 原装 便捷 快捷 省心 省事
省时 高效 舒服 舒适 舒心 温馨 惬意 干净 整洁 卫生 敞亮 明亮 宽敞 安静 清静 漂亮 美观 颜值高
高颜值 颜值在线 时尚 洋气 大方 可爱 精巧 小巧 轻便 轻巧 轻薄 给力 赞 点赞 厉害 神器 惊艳 惊喜
超出预期 超出期望 超预期 比想象中好 比想象的好 比预期好 比图片好看 和描述一致 与描述一致
描述相符 与描述相符 和图片一样 与图片一致 跟图片一样 实物很好 实物更好看 开心 高兴 愉快 满足
幸福 感动 暖心 贴心 周到 细心 耐心 热情 友好 和蔼 亲切 礼貌 专业 负责 认真 用心 尽职 到位 及时
迅速 神速 麻利 利索 效率高 态度好 服务好 好评 全五星 必须好评 给好评 五星好评 满星 十分满意 回购
复购 无限回购 已回购 还会再买 还会再来 还会光顾 还会回购 下次还来 下次还会 下次还买 下次再来
会再来 会再买 一直在买 一直用 一直回购 老顾客了 常来 必回购 囤货 又来买了 yyds 绝绝子 真香
太香了 神仙 宝藏 无敌 天花板 666 牛逼 牛b 吹爆 按头安利 杀疯了 封神 没得挑 没的说 没得说 没话说
无可挑剔 挑不出毛病 挑不出什么毛病 挑不出问题 赞不绝口 好评如潮 一百分 没毛病 没问题 没什么问题
没有问题 没啥问题 没出问题 一切正常 没有瑕疵 无瑕疵 没瑕疵 完好无损 完好 没有异味 无异味 没异味
没有色差 无色差 没色差 没有破损 无破损 没破损 没有划痕 没踩雷 不踩雷 没翻车 不贵 不失望 不后悔
不亏 不吃亏 不卡 不卡顿 不掉色 不褪色 不起球 不缩水 不发热 不发烫 不烫手 不油腻 不腻 不刺激
不过敏 不闷 不吵 不坑 不假 不掉毛 不扎 不刺鼻 不变形 不漏 不伤手 不伤发 不粘锅 不辜负 没辜负
不负期望 不虚此行 不枉此行 没让我失望 没有让我失望 不会让你失望 不会失望 不买后悔 买不了吃亏
物流快 发货快 发货及时 发货迅速 送货快 快递快 到货快 速度快 速度很快 隔天就到 次日达 第二天就到
当天就到 包装好 包装完好 包装精美 包装严实 包装结实 包装仔细 包装用心 包得很好 包装很好 服务周到
服务热情 服务到位 服务态度好 态度很好 回复及时 回复快 有问必答 耐心解答 售后好 售后很好 售后给力
售后到位 客服很好 客服耐心 处理及时 处理得很好 退款快 分量足 分量很足 量足 量大 份量足 份量大
份量很足 料足 料很足 用料足 用料扎实 量多 管饱 吃饱 够吃 送餐快 送得快 配送快 出餐快 上菜快 准时
准时送达 按时送达 提前送达 还是热的 热乎 热乎乎 热腾腾 新鲜 鲜嫩 嫩滑 入味 下饭 酥脆 香脆
外酥里嫩 软糯 筋道 劲道 爽口 清爽 可口 美味 鲜美 香甜 甘甜 清甜 味道好 味道很好 口味好 口感好
口感很好 地道 正宗 干净卫生 很香 好香 超香 香喷喷 喷香 香浓 浓香 飘香 很甜 好甜 超甜 真甜 挺甜
蛮甜 甜甜的 脆甜 多汁 汁多 水分足 水分多 个大 个头大 果大 饱满 奶味浓 奶香 浓郁 醇厚 醇香
日期新鲜 日期很新 甜而不腻 肥而不腻 咸淡适中 辣得过瘾 够味 位置好 位置方便 位置不错 地理位置好
地段好 交通方便 交通便利 出行方便 离地铁近 地铁站近 步行可达 早餐丰富 早餐好吃 早餐种类多
房间干净 房间大 房间宽敞 床舒服 床很舒服 床品舒适 隔音好 隔音效果好 设施新 设施齐全 装修新
环境好 环境优美 环境优雅 风景好 景色好 视野好 视野开阔 免费升级 升级了房间 流畅 顺滑 丝滑 运行快
反应快 续航好 续航长 续航给力 续航持久 待机长 电池耐用 信号好 音质好 清脆 清晰 高清 画质好
画质清晰 屏幕清晰 拍照好 拍照清晰 做工精细 做工好 做工精致 做工扎实 做工精湛 手感好 手感很好
散热好 充电快 安装方便 操作简单 操作方便 系统流畅 反应灵敏 灵敏 噪音小 省电 受益匪浅 受益良多
获益匪浅 有启发 很有启发 启发很大 引人入胜 发人深省 精彩 经典 好书 一本好书 通俗易懂 深入浅出
文笔好 文笔优美 文笔细腻 细腻 印刷精美 印刷清晰 纸质好 纸张好 纸质很好 装帧精美 翻译好 翻译流畅
内容丰富 内容充实 干货满满 干货 实用性强 孩子喜欢 孩子很喜欢 宝宝喜欢 值得一读 值得一看 值得收藏
值得推荐 值得购买 值得入手 值得拥有 值得一去 值得一试 值得信赖 合身 尺码标准 尺码合适 尺码正
大小合适 大小正好 刚刚好 正合适 版型好 版型很好 上身效果好 显瘦 显白 百搭 面料好 面料舒服 布料好
料子好 柔软 透气 保暖 暖和 亲肤 走线整齐 无线头 没有线头 保湿 滋润 补水 清爽不油腻 吸收快 好吸收
温和 好推开 持久 留香 控油 去屑 柔顺 蓬松 服帖 显色 水润 说得过去 还可以 还行 挺可以 可以的
也还行 还算可以 还算不错 挺满意 还算满意 很可以 比较好 挺快 蛮快 比较快 非常快 特别快 超快 真快
超级快 快速 合适 很合适 正版 质量好 质量挺好 质量可以 质量过硬 杠杠的 效果好 效果明显 有效果
见效 管用 好使 谢谢 感谢 多谢 谢啦 辛苦了 支持 一直支持 继续支持 不愧是 名牌 真心推荐 新意
有新意 独到 有深度 有料 有内涵 有意思 有趣 风趣 幽默 生动 真实 感人至深 震撼 过瘾 一如既往
老味道 经常点 每次都点 常点 一直点 点了好几次 又买了 又点了 又回购 辛苦 一口气读完 一口气看完
看了好几遍 读了好几遍 收获很大 很有收获 有收获 学到了很多 学到很多 爱看 爱吃 爱用 用了好多年
用了很多年 用了好几年 一个坏的都没有 都是好的 很美 太美 好美 真美 美美的 美极了 很帅 好帅 很酷
老牌子 大品牌 好选择 没选错 选对了 结实 牢固 稳固 厚实 很软 软软的 凉快 清楚 准确 精准 灵活
安装简单 便携 静音 容量大 心满意足 称心 如意 顺心 贴合 合脚 舒适度高 软乎乎 暖暖的 回头客 常客
再次光临 值得信任 好评好评
"""

_POSITIVE_PATTERNS = (
    r"五星(?<!一五星)(?!级)",
    r"很快(?!就(?:坏|没|不|掉|褪|起|破|裂|用完|断|停|卡))",
    r"方便(?!面)",
    r"便宜(?!没好货|无好货)",
    r"值得(?!注意|一提|吐槽|商榷|怀疑|考虑|警惕)",
    r"苦尽甘来",
    r"冲鸭",
    r"可以冲",
    r"物流(?:很|超|非常|特别|挺)?(?:快|给力)",
    r"五分(?!钟|之|熟)",
    r"第[二三四五六七八九十几n\d]+次(?:点|买|来|购买|入住|住|光顾|回购|下单)",
    r"比(?:实体店|超市|外面|店里|专柜|商场|线下)便宜",
    *(word + _DEGREE_OF_WRITING + r"(?:好|不错|精彩|生动|清楚|明白|透彻|深刻|有趣|有意思|细腻|"
                                  r"到位|感人)"
      for word in ("写得", "写的", "讲得", "讲的", "译得", "做得", "做的", "画得")),
    r"没有?(?:想象|预期)(?:中|的)?(?:那么|这么)?(?:差|糟|难吃|贵|难用|吵|小|慢|坑|难闻)",
    *(word + r"(?:很|非常|比较|特别|也|超|极)?小"
      for word in ("噪音", "噪声", "误差", "色差", "辐射", "味道", "异味", "震动", "振动")),
    *(word + r"(?:想象|预期|期待)(?:中|的)?(?:还|更)?(?:好|大|快|甜|漂亮|好吃|好用|新鲜)"
      for word in ("比", "超出")),
)

# ---- negative -------------------------------------------------------------------------
_NEGATIVE_WORDS = """
很差 太差 极差 超差 特差 真差 差劲 差评 给差评 不行 不咋地 不咋样 不怎么样 一般般 凑合 还凑合
马马虎虎 勉强 将就 差强人意 中规中矩 糟糕 糟透了 垃圾 辣鸡 渣 坑爹 坑人 被坑 坑钱 骗子 骗人 欺骗
忽悠 上当 受骗 假货 假的 仿品 山寨 高仿 次品 残次品 劣质 伪劣 质量差 质量不好 质量太差 质量一般
做工差 做工粗糙 粗糙 粗制滥造 毛糙 廉价感 一股廉价 敷衍 冷淡 冷漠 傲慢 不耐烦 甩脸色 爱理不理
不理人 没人理 失望 很失望 大失所望 失望透顶 后悔 后悔买 悔死 气人 生气 郁闷 闹心 糟心 堵心 添堵
心塞 无语 醉了 服了 无力吐槽 吐槽 崩溃 抓狂 火大 窝火 恼火 恶心 心累 一言难尽 不忍直视 惨不忍睹
呵呵 不值 不值得 不值这个价 不划算 不实惠 太贵 很贵 偏贵 有点贵 好贵 超贵 死贵 巨贵 略贵 稍贵
小贵 挺贵 比较贵 贵得离谱 昂贵 价格虚高 性价比低 性价比不高 性价比太低 性价比很低 智商税
交智商税 割韭菜 浪费钱 白花钱 冤枉钱 不推荐 不建议购买 不建议买 别买 千万别买 千万别 劝退 避雷
排雷 踩雷 踩坑 翻车 大翻车 雷人 巨雷 大雷 慎买 慎入 谨慎购买 不会再买 不会再来 不会再光顾
不会再点 不会回购 不再回购 再也不买 再也不来 再也不会 再也不点 再也不去 再也不住 最后一次 拉黑
退货 退货了 已退货 退了 申请退款 要求退款 1星 一颗星 0分 零分 负分 中评 一分都不想给 不想给星
态度差 态度恶劣 态度不好 态度很差 服务差 服务态度差 服务态度不好 服务很差 不回复 不回消息 回复慢
推脱 推诿 踢皮球 不专业 售后差 售后不好 没有售后 售后推诿 不负责 不负责任 投诉 缺点 毛病 不如
物流慢 发货慢 送货慢 快递慢 到货慢 太慢 很慢 好慢 超慢 慢死 真慢 有点慢 比较慢 偏慢 慢吞吞 龟速
等了好久 等了半天 等了很久 等了一个小时 迟迟不发货 迟迟 拖延 延迟 送错 发错 少发 漏发 错发 缺件
少了 包装破损 包装简陋 包装差 包装太差 外包装破 破损 破了 破洞 破的 压坏 压扁 碎了 摔坏 坏了
坏的 故障 量少 分量少 分量太少 份量少 量太少 量很少 分量不足 份量不足 不够吃 吃不饱 太少了
少得可怜 送餐慢 送得慢 上菜慢 出餐慢 超时 送晚了 凉了 都凉了 冷了 凉透了 洒了 撒了 漏了 汤洒
洒出来 太咸 很咸 偏咸 有点咸 超咸 咸死 齁咸 齁 咸了 太淡 很淡 偏淡 没味 寡淡 淡而无味 没味道
油腻 太油 很油 油大 太辣 太甜 齁甜 甜腻 太腻 很腻 有点腻 腻了 黏腻 粘腻 难吃 难喝 难以下咽
不新鲜 变质 馊 变酸 发酸 酸了 太酸 很酸 有点酸 太苦 很苦 发苦 苦涩 发涩 涩口 有头发 头发丝 虫子
苍蝇 没熟 还是生的 半生不熟 夹生 太硬 很硬 有点硬 硬邦邦 发硬 肉柴 很柴 太柴 有点柴 干巴巴 糊了
焦了 腥味 很腥 太腥 有点腥 腥臭 不卫生 脏 隔音差 隔音不好 隔音太差 不隔音 隔音很差 吵 噪音 很吵
太吵 设施陈旧 设施老旧 设施旧 陈旧 老旧 破旧 老化 房间小 房间太小 房间很小 狭小 拥挤 潮湿 霉味
发霉 异味 烟味 有味道 有股味 床单脏 不干净 卫生差 没热水 水压小 不制冷 蚊子 蟑螂 位置偏 偏僻
不好找 交通不便 早餐差 早餐单一 早餐一般 早餐少 早餐难吃 设施差 服务一般 卡顿 很卡 太卡 有点卡
好卡 超卡 卡死 巨卡 卡得 反应慢 死机 闪退 黑屏 蓝屏 自动重启 自动关机 发热 发烫 烫手 耗电快 费电
续航差 续航短 不耐用 掉电快 充电慢 充不进电 信号差 没信号 断网 音质差 杂音 异响 失灵 不灵敏
问题多 翻新机 二手 划痕 坏点 漏光 色差 缝隙大 松动 接触不良 不兼容 难用 鸡肋 华而不实 内容空洞
空洞 无聊 乏味 枯燥 没意思 没意义 没营养 注水 凑字数 东拼西凑 拼凑 翻译差 翻译烂 翻译生硬 机翻
错别字 错字 印刷差 印刷模糊 印刷粗糙 模糊 纸张差 纸质差 纸张薄 纸质很差 盗版 缺页 掉页 折痕
看不下去 读不下去 浪费时间 误人子弟 胡说八道 胡扯 名不副实 言过其实 夸大其词 标题党 货不对板
图文不符 与描述不符 和描述不符 描述不符 和图片不符 与图片不符 实物与图片不符 差距大 差距很大
有差距 落差 和图片不一样 跟图片不一样 与图片不一样 和描述不一样 偏小 偏大 尺码不准 不合身 小了
大了 掉色 褪色 染色 串色 起球 缩水 变形 开线 脱线 线头多 线头 走线歪 色差大 面料差 料子差 太薄
扎人 刺痒 起皱 皱巴巴 难闻 甲醛味 刺鼻 臭味 过敏 烂脸 闷痘 长痘 爆痘 刺痛 泛红 搓泥 假滑 干涩
紧绷 掉渣 卡粉 脱妆 不持久 香精味 头皮痒 掉发 脱发 毛躁 发干 干枯 烂了 烂果 坏果 不甜 干瘪
水分少 个小 个头小 磕碰 发黑 过期 临期 快过期 胀袋 胀包 结块 馊了 难看 难听 难受 难穿 难洗 丑
廉价 别扭 磨脚 夹脚 挤脚 硌脚 打不开 开不了机 连不上 不能用 用不了 没法用 不好使 不管用 不灵
没反应 没用 没啥用 没效果 没什么效果 效果不明显 没感觉 不明显 硬伤 黑店 宰客 乱收费 还没到
还没收到 没送到 没收到 一直没 至今没 到现在还没 一个多小时 两个多小时 一个半小时 太晚 晚到 送晚
废话 废话连篇 啰嗦 罗嗦 冗长 拖沓 肤浅 浅显 幼稚 俗套 老套 矫情 做作 牵强 生硬 炒作 毫无新意
没有新意 味道大 价格偏高 价格高 价格太高 收费高 偏高 运行慢 噪音大 声音大 装不上 安装不上 退换
返修 送修 遗憾 可惜 才到 才送到 才送来 才收到 少送 漏送 少给 没给 凉的 不接电话 电话不接
洗了一次就 洗一次就 穿了一次就 用了一次就 用了几天就 没用几天就 用了没多久 太大了 大了一码
小了一码 买大了 买小了 辣眼睛 头皮屑 有坏的 有烂的 缺斤少两 斤两不足 重量不足 言之无物 一派胡言
字小 很烦 烦人 太麻烦 很麻烦 麻烦死 费劲 费事 小气 抠门 恶劣 拉肚子 闹肚子 吃坏肚子 有虫 异物
变味 怪味 塑料味 冷冰冰 太少 只能 不爽 唉 哎 无奈 晕 居然 竟然 说好的 明明 什么玩意 什么东西
就这 骗钱 太坑 不值钱 漏水 漏气 漏液 差点意思 图一乐 槽点 失败 后悔死了 谁买谁后悔 买来就后悔
坑死 不满 不舒服 不方便 霉 骗 没有想象中 没想象中 不如想象 不如预期 不如描述 不如图片 与想象不符
大失所望 希望落空
"""

_NEGATIVE_PATTERNS = (
    r"差(?<![出偏误温时视反相]差)(?!不多|点|一点|价|额|旅|距|遣|事|使|异|评)",
    r"贵(?<![富宝珍尊名华高]贵)(?![店司公方宾州阳姓行族重宝])",
    r"旧(?<![依仍照怀守念]旧)(?!址|历)",
    r"烂(?<![灿绚]烂)(?!漫)",
    r"臭(?<!螺蛳臭)(?<!蛳粉臭)(?!豆腐|鳜鱼|桂鱼|美)",
    r"坑(?!位)",
    *(word + r"小(?!巧|心|孩|朋友|时|区|吃|众|贴士)"
      for word in ("很", "太", "特别", "非常", "超", "有点", "比较", "偏")),
    r"不(?<!好不)好(?!意思|说|好)",
    r"再也不(?:会|买|来|去|用|住|点|吃|光顾|相信|选|敢|推荐)",
    *(word + _DEGREE_OF_WRITING + r"(?:差|烂|一般|无聊|乱|糟糕|不好|不怎么样|啰嗦|差劲)"
      for word in ("写得", "写的", "讲得", "讲的", "译得", "做得", "做的", "画得")),
    r"不会再(?:买|来|去|用|住|点|吃|光顾|购买|选择|下单|回购|推荐|相信)",
    r"一星(?<!好评一星)(?<!五星一星)",
    r"一般(?!来说|来讲|都|会|是|情况|的话|人|般|不会|而言)",
    r"没有?(?:想象|预期|期待|宣传|说的|图片?上?|描述|广告)(?:中|的|里|上)?(?:那么|这么|那样|"
    r"的那么)?"
    r"(?:好|大|甜|新鲜|漂亮|好吃|好用|香|快|舒服|好看|值)",
)

# What a review is about, and how it is found ("房间很干净", "物流太慢"): each group of
# nouns with the judgements that make sense for it.
_DEGREE_OF = (r"(?:也|都|还|真|真的|倒是)?(?:很|挺|非常|比较|特别|超|超级|蛮|相当|十分|太|贼|巨|"
              r"有点|有些|略|稍微?|偏|算)?")
_GENERAL_POSITIVE = (r"好|棒|赞|不错|可以|满意|给力|完美|优秀|出色|到位|好评|靠谱|没得说|没话说|"
                     r"杠杠的|"
                     r"一流|惊艳|精致|漂亮|好看")
_GENERAL_NEGATIVE = (r"差|不好|不行|一般|糟糕|烂|垃圾|差劲|失望|堪忧|不咋地|不怎么样|恶劣|欠佳|"
                     r"有问题")
_ABOUT = (
    ("房间 屋子 客房 卫生间 浴室 大堂 环境 酒店 宾馆 设施 装修 床 床品 被子 枕头 空调 热水 网络 "
     "网速 wifi 早餐 餐厅",
     _GENERAL_POSITIVE + r"|干净|整洁|大|宽敞|舒服|舒适|安静|新|齐全|丰富|温馨|快|稳定|软|热",
     _GENERAL_NEGATIVE + r"|脏|小|挤|吵|旧|破|潮|乱|简陋|单一|少|硬|慢|冷|闷|暗|陈旧|老旧|破旧"),
    ("服务 态度 服务员 前台 客服 老板 店家 卖家 商家 掌柜 骑手 快递员 小哥 师傅 司机 售后 店员 "
     "工作人员 导购 经理",
     _GENERAL_POSITIVE + r"|热情|周到|耐心|细心|贴心|专业|友好|客气|礼貌|及时|负责|认真|和气|"
                         r"好说话|nice",
     _GENERAL_NEGATIVE + r"|冷淡|冷漠|敷衍|凶|傲慢|恶劣|不耐烦|不专业|慢|拖|推脱|不负责|爱理不理"),
    ("物流 快递 发货 送货 配送 送餐 出餐 上菜 到货 速度 回复 处理 退款",
     _GENERAL_POSITIVE + r"|快|迅速|及时|神速|准时|麻利",
     _GENERAL_NEGATIVE + r"|慢|拖拉|拖|迟|晚|龟速|延迟"),
    ("质量 品质 做工 用料 手感 质感 材质 面料 布料 料子 外观 颜色 款式 版型 设计 包装 品相 效果 "
     "功能 性能 "
     "音质 音效 画质 屏幕 续航 电池 信号 系统 散热 拍照 像素 声音 键盘 镜头",
     _GENERAL_POSITIVE + r"|精细|细致|扎实|结实|厚实|舒服|柔软|高级|上档次|清晰|流畅|顺滑|稳定|"
                         r"持久|耐用|"
     r"明显|严实|完好|精美|时尚|百搭|正|鲜艳|亮",
     _GENERAL_NEGATIVE + r"|粗糙|廉价|薄|硬|掉色|劣质|模糊|卡|短|弱|糙|简陋|不明显|难看|土|丑|暗"),
    ("味道 口味 口感 菜 菜品 饭菜 饭 汤 肉 面 米饭 饮料 奶茶 咖啡 水果 果子 苹果 橙子 西瓜 牛奶 "
     "酸奶 蛋糕 面包",
     _GENERAL_POSITIVE + r"|好吃|好喝|香|鲜|新鲜|嫩|甜|脆|正宗|地道|入味|可口|美味|浓|醇|丰富|"
                         r"多汁|热|热乎",
     _GENERAL_NEGATIVE + r"|难吃|难喝|咸|淡|油|腻|辣|硬|柴|腥|酸|苦|涩|凉|冷|馊|不新鲜|变质|坏|烂|"
                         r"怪|奇怪|差劲"),
    ("分量 份量 量 料 个头 个儿 尺寸 空间",
     r"足|大|多|够|实在|充足|管饱|满满|十足",
     r"少|小|不足|不够|可怜|缩水"),
    ("价格 价钱 价位 收费 房价 定价",
     r"便宜|实惠|合理|公道|划算|美丽|亲民|良心|低|适中",
     r"贵|高|虚高|离谱|坑|不合理|不值|偏高"),
    ("性价比",
     r"高|超高|好|不错|可以|没得说|杠杠的|无敌",
     r"低|不高|差|一般|太低"),
    ("位置 地段 交通 地理位置 出行",
     _GENERAL_POSITIVE + r"|方便|便利|优越|便捷|近|好找|中心",
     _GENERAL_NEGATIVE + r"|偏|偏僻|远|难找|不方便|不便|堵"),
    ("内容 书 故事 情节 剧情 文笔 翻译 印刷 纸张 纸质 装帧 插图 排版 字迹",
     _GENERAL_POSITIVE + r"|精彩|丰富|充实|实用|生动|有趣|深刻|感人|流畅|优美|清晰|精美|厚实|经典|"
                         r"有意思|"
     r"通俗易懂|引人入胜",
     _GENERAL_NEGATIVE + r"|空洞|无聊|乏味|枯燥|肤浅|生硬|模糊|粗糙|薄|混乱|拖沓|啰嗦|没意思|幼稚|"
                         r"牵强|别扭"),
    ("东西 商品 宝贝 产品 货 衣服 裤子 鞋子 鞋 裙子 手机 电脑 耳机 机器 书本 书籍",
     _GENERAL_POSITIVE + r"|好用|实用|喜欢|舒服|合身|正品|新鲜",
     _GENERAL_NEGATIVE + r"|难用|假|劣质|坏|破|旧|脏|小|大|不合身|有味道|臭"),
)


def _about(positive: bool) -> tuple[str, ...]:
    return tuple(re.escape(noun) + _DEGREE_OF + "(?:" + (good if positive else bad) + ")"
                 for nouns, good, bad in _ABOUT for noun in nouns.split())


# Turned around by a negator right before them: "不满意" is negative, "不贵" positive.
_NEGATABLE_POSITIVE = """
好 好吃 好用 好看 好喝 好闻 好穿 满意 新鲜 干净 舒服 舒适 方便 划算 实惠 值 值得 推荐 合身 合适
甜 流畅 清晰 耐用 实用 专业 热情 及时 到位 正宗 喜欢 精致 保暖 透气 柔软 靠谱 安静 好评 回购
给力 理想 怎么样 入味 香 脆 嫩 清楚 稳定 热 热乎 新意 内容 好使 管用 明显 灵敏 准 准时 划得来
便宜 友好 耐心 负责 严实 结实 牢固 扎实
"""
_NEGATABLE_NEGATIVE = """
贵 卡 卡顿 吵 咸 油腻 油 腻 失望 后悔 坑 掉色 褪色 起球 缩水 发热 发烫 烫 臭 难闻 难吃 刺激 过敏
异味 色差 瑕疵 破损 问题 毛病 划痕 线头 漏 掉毛 掉渣 粘 假 慢 脏 差 坏 旧 硬 酸 腥 柴 涩 苦 闷
扎 痒 刺鼻 踩雷 翻车 缺点 缺陷 变形 松动 异响 噪音 杂音 延迟 掉线 发霉 变质 烂 晃 夸张 麻烦 折腾
"""

# A negator with what may stand between it and the word ("不是很", "一点都不", "不会").
_NEGATORS = ("不(?<!好不)", "没有?", "并不", "并没有?", "毫不", "毫无",
             "一点(?:都|也|儿也|儿都)不", "一点(?:都|也)没", "根本不", "根本没", "完全不", "完全没",
             "从来不", "从不", "从没", "绝不", "绝对不")
_NEGATOR = "(?:" + "|".join(_NEGATORS) + ")"
_DEGREE = (r"(?:是|会|再|算|太|很|怎么|够|大|那么|这么|咋|特别|十分|非常|有|有什么|什么|啥|任何|"
           r"太过|觉得|感觉)*")
# "不好意思" (sorry), "不好说", "没好多少" … are not "不好".
_NOT_NEGATED = r"好意思|好说|好好|好不|好像|好几|好多|好些|好久|好容易|好在|好歹|好奇|好处"
_NEGATED_BEFORE = re.compile(_NEGATOR + _DEGREE + r"$")


def _trie(words: list[str]) -> list[str]:
    """Many literal words as one alternative per first character, shared prefixes
    factored out, so that matching does not try every word in turn; the longest word
    wins. Every alternative begins with a plain character, which lets the search skip
    ahead to where one could start."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items())
                    if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return body + "?" if len(branches) == 1 and len(body) == 1 else f"(?:{body})?"
        return body

    return [re.escape(char) + render(child) for char, child in sorted(tree.items())]


def _words(block: str) -> list[str]:
    return sorted(set(block.split()))


def _pattern(words: str, patterns: tuple[str, ...], negatable: str, buckets: int = 8) -> str:
    """Negated forms of the other side first, then the patterns, then the words. Every
    branch begins with a plain character; the branches are grouped by it, and the groups
    into a few buckets, each behind a look-ahead for its first characters, so that a
    position is tried against one bucket of branches rather than against all of them."""
    turned = "(?!" + _NOT_NEGATED + ")(?:" + "|".join(_trie(_words(negatable))) + ")"
    negated = [negator + _DEGREE + turned for negator in _NEGATORS]
    by_first: dict[str, list[str]] = {}
    for branch in (*negated, *patterns, *_trie(_words(words))):
        if not branch[0].isalnum():
            raise ValueError(f"a polarity branch must begin with a character: {branch!r}")
        by_first.setdefault(branch[0], []).append(branch)
    firsts = sorted(by_first)
    size = -(-len(firsts) // buckets)
    groups = [firsts[i:i + size] for i in range(0, len(firsts), size)]
    return "(?=[" + "".join(firsts) + "])(?:" + "|".join(
        "(?=[" + "".join(group) + "])(?:" + "|".join(
            branch for first in group for branch in by_first[first]) + ")"
        for group in groups) + ")"


POSITIVE_WORDS = _words(_POSITIVE_WORDS)
NEGATIVE_WORDS = _words(_NEGATIVE_WORDS)
POSITIVE_ZH = _pattern(_POSITIVE_WORDS, (*_POSITIVE_PATTERNS, *_about(True)),
                       _NEGATABLE_NEGATIVE)
NEGATIVE_ZH = _pattern(_NEGATIVE_WORDS, (*_NEGATIVE_PATTERNS, *_about(False)),
                       _NEGATABLE_POSITIVE)

def negated_before(clause: str) -> bool:
    """Whether the words just before a term negate it (`clause` ends where it starts)."""
    return bool(_NEGATED_BEFORE.search(clause))


def resolve(spans: list[tuple[int, int, bool]]) -> list[bool]:
    """Which of the polarity matches to keep, given (start, end, positive): where a
    positive and a negative one overlap, the one that starts first (then the longer)
    stands, so "没毛病" is not also "毛病" and "不太满意" not also "满意"."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i][0], spans[i][0] - spans[i][1]))
    keep = [True] * len(spans)
    reach = {True: -1, False: -1}  # how far the kept matches of each side extend
    for i in order:
        start, end, positive = spans[i]
        if start < reach[not positive]:
            keep[i] = False
            continue
        reach[positive] = max(reach[positive], end)
    return keep
