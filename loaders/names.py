"""Chinese name vocabularies for the synthetic ledgers: places, compounds, companies, units, people.

Every function takes the caller's ``random.Random`` so a seed fixes every name. Names only need to
look like what a street office writes; they are not meant to match real places or people.
"""

from __future__ import annotations

import random

__all__ = [
    "UniqueNames", "district_name", "street_name", "community_name", "compound_name",
    "company_name", "resident_unit", "person_name", "demand_title", "resource_title",
]

# Common surnames, the most frequent first and repeated so they are drawn more often.
SURNAMES = (
    "王李张刘陈杨黄赵吴周" * 3 + "徐孙马朱胡郭何高林罗" * 2
    + "郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦"
    "付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤庄厉"
)
GIVEN_CHARS = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰飞鹏辉宇浩凯"
    "婷雪琳晨欣怡佳文博斌鑫峰海燕萍丹宁立新庆春梅凤云亮翠学德成东金荣海波淑珍晓光"
)

# Two-character place words used for districts, streets, communities and compounds.
PLACE_ROOTS = (
    "东城", "西城", "南关", "北园", "朝阳", "文化", "振兴", "新华", "人民", "建设", "和平", "幸福",
    "滨河", "龙泉", "凤凰", "青年", "胜利", "光明", "南湖", "解放", "长安", "兴隆", "隆山", "十字",
    "大店", "坪上", "相邸", "板泉", "洙边", "文疃", "石莲", "道口", "岭泉", "筵宾", "涝坡", "团林",
    "金山", "银河", "翠湖", "锦绣", "阳光", "春晖", "怡景", "泰和", "永安", "福田", "安居", "康乐",
    "丰收", "望海", "观澜", "清河", "柳青", "桃园", "杏林", "梧桐", "松柏", "竹园", "荷花", "玉泉",
    "明珠", "新城", "古城", "城关", "河东", "河西", "湖滨", "岚山", "沂河", "沭河", "鸡龙", "马鬐",
    "紫金", "宝龙", "华夏", "中山", "民主", "团结", "育才", "书香", "学府", "花园", "枫林", "绿地",
    "嘉禾", "瑞祥", "恒泰", "祥和", "富民", "利民", "惠民", "康宁", "锦华", "丽景", "御景", "雅园",
    "天河", "星湖", "月湖", "云台", "鹤鸣", "鹿鸣", "凤鸣", "龙山", "虎山", "狮子", "象山", "卧龙",
    "白鹭", "青松", "红星", "前进", "红旗", "东风", "向阳", "曙光", "东升", "旭日", "新村", "盛世",
)
COMPOUND_SUFFIXES = ("小区", "小区", "小区", "花园", "家园", "苑", "新村", "华庭", "雅居", "名苑",
                     "佳苑", "嘉园", "公馆", "府")
COMPANY_WORDS = ("鑫安", "万家", "恒泰", "安居", "嘉和", "瑞祥", "诚信", "金盾", "绿洲", "华宇", "宏达",
                 "泰安", "康居", "盛源", "祥瑞", "惠民", "明德", "宜家", "君安", "润泽", "远航", "友邦",
                 "永盛", "和顺", "德信", "九州", "中天", "海纳", "百川", "东方")
_BUREAUS = ("住房和城乡建设局", "市场监督管理局", "自然资源和规划局", "税务局", "民政局", "人力资源和社会保障局",
            "教育和体育局", "卫生健康局", "生态环境分局", "应急管理局", "退役军人事务局", "司法局")
_INDUSTRIES = ("食品", "机械", "电力", "纺织", "建材", "物流", "农业科技", "电子", "化工", "商贸")
DEMANDS = ("老旧小区加装电梯", "楼道照明维修", "停车位不足", "垃圾分类督导", "老年人助餐", "儿童课后托管",
           "雨污管网改造", "健身器材更新", "电动车充电桩", "绿化补植", "独居老人探访", "楼顶防水维修")
RESOURCES = ("法律咨询服务", "健康义诊", "党员志愿服务队", "活动场地共享", "水电维修支持", "图书捐赠",
             "助餐服务", "技能培训", "资金支持", "心理疏导服务")


class UniqueNames:
    """Draws names that are not already taken, falling back to a numbered variant."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def draw(self, make, rng: random.Random) -> str:
        """A name from ``make(rng)`` not drawn before (tries a few times, then numbers it)."""
        for _ in range(8):
            name = make(rng)
            if name not in self._taken:
                break
        else:
            base, number = name, 2
            while name in self._taken:
                name, number = _numbered(base, number), number + 1
        self._taken.add(name)
        return name


def _numbered(name: str, number: int) -> str:
    # 幸福小区 → 幸福二小区 reads oddly; a 二期 suffix is what ledgers actually write.
    return f"{name}{number}期"


def district_name(rng: random.Random) -> str:
    return rng.choice(PLACE_ROOTS) + rng.choice(("区", "县"))


def street_name(rng: random.Random) -> str:
    return rng.choice(PLACE_ROOTS) + "街道"


def community_name(rng: random.Random) -> str:
    return rng.choice(PLACE_ROOTS) + rng.choice(("社区", "社区", "社区", "路社区", "街社区"))


def compound_name(rng: random.Random) -> str:
    return rng.choice(PLACE_ROOTS) + rng.choice(COMPOUND_SUFFIXES)


def company_name(rng: random.Random, district: str) -> str:
    prefix = rng.choice((district, district, "山东", "临沂"))
    brand = rng.choice(COMPANY_WORDS) if rng.random() < 0.6 else rng.choice(PLACE_ROOTS)
    return prefix + brand + rng.choice(("物业服务有限公司", "物业服务有限公司", "物业管理有限公司",
                                        "物业管理服务有限公司", "物业服务有限责任公司"))


def resident_unit(rng: random.Random, district: str) -> tuple[str, str]:
    """A resident unit's (kind, name): a school, hospital, agency or enterprise of the area."""
    kind = rng.choice(("学校", "医院", "机关", "企业", "事业单位"))
    root = rng.choice(PLACE_ROOTS)
    if kind == "学校":
        name = f"{district}{root}{rng.choice(('小学', '中学', '实验学校', '幼儿园'))}"
    elif kind == "医院":
        name = rng.choice((f"{district}人民医院", f"{district}中医医院", f"{root}社区卫生服务中心"))
    elif kind == "机关":
        name = f"{district}{rng.choice(_BUREAUS)}"
    elif kind == "企业":
        name = f"{district}{root}{rng.choice(_INDUSTRIES)}有限公司"
    else:
        name = rng.choice((f"国网{district}供电公司{root}供电所", f"{district}{root}自来水公司",
                           f"{district}图书馆", f"{district}文化馆"))
    return kind, name


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN_CHARS)
    if rng.random() < 0.7:
        given += rng.choice(GIVEN_CHARS)
    return rng.choice(SURNAMES) + given


def demand_title(rng: random.Random, place: str) -> str:
    return f"{place}{rng.choice(DEMANDS)}"


def resource_title(rng: random.Random, unit: str) -> str:
    return f"{unit}{rng.choice(RESOURCES)}"
