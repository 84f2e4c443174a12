"""Chinese free text of a synthetic district: complaints, petitions, incidents, notes."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

__all__ = [
    "ComplaintText",
    "complaint_text",
    "event_description",
    "incident_description",
    "money_words",
    "petition_content",
]

_CN = "零一二三四五六七八九"


def _cn_small(n: int) -> str:
    """Chinese numeral for 1-99 as people write it (十二, 二十七); digits beyond that."""
    if not 0 < n < 100:
        return str(n)
    if n < 10:
        return "两" if n == 2 else _CN[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN[tens]
    return head + "十" + (_CN[ones] if ones else "")


@dataclass
class ComplaintText:
    """A complaint as written and what it states (None where the text does not say)."""

    text: str
    months: int | None
    workers: int | None
    amount: int | None
    employer: str
    flags: list[str] = field(default_factory=list)
    wage: bool = True


def money_words(amount: int, rng: random.Random) -> tuple[str, int]:
    """An amount the way a caller says it, and the number that phrase states."""
    roll = rng.random()
    if amount >= 20_000 and roll < 0.35:
        wan = amount // 10_000
        return f"{wan}万余元", wan * 10_000
    if amount >= 10_000 and roll < 0.6:
        tenths = round(amount / 1_000)
        if tenths % 10 == 0:
            return f"{tenths // 10}万元", tenths * 1_000
        return f"{tenths / 10:.1f}万元", tenths * 1_000
    if 10_000 <= amount < 100_000 and roll < 0.72:
        wan = amount // 10_000
        return f"{_cn_small(wan)}万多元", wan * 10_000
    if roll < 0.85 and amount >= 1_000:
        rounded = round(amount, -2)
        return f"{rounded}元", rounded
    return f"{amount}元", amount


def _workers_words(workers: int, rng: random.Random) -> tuple[str, int]:
    roll = rng.random()
    if workers >= 20 and roll < 0.25:
        tens = workers // 10 * 10
        return f"{tens}余名", tens
    if 20 <= workers < 100 and roll < 0.4:
        tens = workers // 10 * 10
        return f"{_cn_small(tens)}多名", tens
    if workers < 100 and roll < 0.55:
        return f"{_cn_small(workers)}名", workers
    return f"{workers}名", workers


def _months_words(months: int, rng: random.Random) -> str:
    roll = rng.random()
    if months == 6 and roll < 0.4:
        return "半年"
    if months == 12 and roll < 0.5:
        return "一年"
    if roll < 0.5:
        return f"{months}个月"
    if roll < 0.8:
        return f"{_cn_small(months)}个月"
    return f"{_cn_small(months)}个多月" if months < 10 else f"{months}个多月"


_OPENINGS = {
    "hotline_12345": ("来电人反映：", "市民来电反映：", "", "来电反映，"),
    "hotline_12333": ("来电人称", "", "来电反映："),
    "state_council_platform": ("反映人称：", "", "线索内容："),
    "letters_visits": ("信访人反映：", "来访人称"),
    "grid": ("网格员上报：", "网格巡查发现，"),
    "counter": ("投诉人称", ""),
    "other": ("",),
}
_FLED = ("老板联系不上", "老板已经跑路了", "负责人失联，电话一直打不通", "包工头带着钱跑了")
_GROUP = ("大家准备一起去政府讨说法", "工人们已经集体停工", "工友们准备集体上访")
_EXTREME = ("有工友扬言要爬塔吊", "有人情绪激动说要跳楼", "工人们准备拉横幅讨薪")
_CASUALTY = ("讨薪时有工友被打伤住院", "讨薪过程中发生冲突，有人受伤")
_CLOSINGS = (
    "，请求帮助追讨。",
    "，希望政府尽快处理。",
    "，要求尽快支付工资。",
    "。",
    "，请有关部门核实处理。",
)
_NON_WAGE = (
    "反映{e}未给员工缴纳社会保险，要求补缴。",
    "反映{e}不与员工签订劳动合同。",
    "反映在{e}工作时受伤，公司不给认定工伤。",
    "反映{e}每天要求加班到晚上十点，没有休息日。",
    "反映{e}扣押员工身份证，要求退还。",
)


def complaint_text(
    rng: random.Random,
    *,
    channel: str,
    employer: str,
    project: str,
    construction: bool,
    workers: int,
    months: int,
    amount: int,
    fled: bool = False,
    group: bool = False,
    extreme: bool = False,
    casualty: bool = False,
    wage: bool = True,
) -> ComplaintText:
    """Write one complaint in the words callers and ticket clerks use."""
    opening = rng.choice(_OPENINGS.get(channel, ("",)))
    if not wage:
        text = opening + rng.choice(_NON_WAGE).format(e=employer)
        return ComplaintText(text, None, None, None, employer, [], wage=False)
    flags: list[str] = []
    place = employer
    named = employer
    if construction and project and rng.random() < 0.5:
        if rng.random() < 0.5:
            place = f"{employer}承建的{project}工地"
        else:
            place, named = f"{project}工地", ""
        flags.append("construction")
    elif construction:
        place = f"{employer}工地" if rng.random() < 0.6 else employer
        if place != employer:
            flags.append("construction")
    say_months = rng.random() < 0.92
    say_amount = rng.random() < 0.75
    parts: list[str] = []
    stated_workers: int | None
    if workers <= 1:
        stated_workers = 1
        verb = rng.choice(("干活", "上班", "工作"))
        parts.append(f"本人在{place}{verb}")
        if say_months:
            parts.append(f"，老板拖欠我{_months_words(months, rng)}工资")
        else:
            parts.append("，老板一直拖欠工资不发")
    else:
        phrase, stated_workers = _workers_words(workers, rng)
        who = rng.choice(("我们", "我们共", "我和工友"))
        if who == "我和工友":
            parts.append(f"我和工友共{phrase}工人在{place}干活")
        else:
            parts.append(f"{who}{phrase}工人在{place}干活")
        if say_months:
            parts.append(f"，被拖欠{_months_words(months, rng)}工资")
        else:
            parts.append("，工资一直被拖欠")
    stated_amount: int | None = None
    if say_amount:
        words, stated_amount = money_words(amount, rng)
        approximate = "余" in words or "多" in words
        lead = ("共计", "共", "，总共") if approximate else ("共计", "共", "合计约", "，总共")
        parts.append(rng.choice(lead) + words)
    if fled:
        parts.append("，" + rng.choice(_FLED))
        flags.append("fled")
    if group:
        parts.append("，" + rng.choice(_GROUP))
        flags.append("group")
    if extreme:
        parts.append("，" + rng.choice(_EXTREME))
        flags.append("extreme")
    if casualty:
        parts.append("，" + rng.choice(_CASUALTY))
        flags.append("casualty")
    parts.append(rng.choice(_CLOSINGS))
    text = opening + "".join(parts).replace("，，", "，")
    return ComplaintText(
        text,
        months if say_months else None,
        stated_workers,
        stated_amount,
        named,
        sorted(set(flags)),
    )


def petition_content(rng: random.Random, employer: str, times: int, workers: int) -> str:
    """What a petitioner asks, first time or again."""
    if times == 1:
        return rng.choice(
            (
                f"反映{employer}拖欠{workers}名工人工资问题",
                f"反映{employer}欠薪问题，要求督促支付",
                f"联名反映{employer}拖欠劳动报酬",
            )
        )
    return rng.choice(
        (
            f"再次反映{employer}拖欠工资问题，至今未解决",
            f"第{times}次反映{employer}欠薪问题",
            f"重复反映{employer}拖欠工资，对处理结果不满意",
        )
    )


def incident_description(rng: random.Random, kind: str, place: str, workers: int) -> str:
    """A short police or township note on an incident."""
    if kind == "group_incident":
        return rng.choice(
            (
                f"{workers}名工人在{place}门口聚集讨要工资",
                f"{workers}余名工人到区政府门口聚集反映欠薪",
                f"{workers}名工人堵路讨薪，经劝导后散去",
            )
        )
    if kind == "collective_stoppage":
        return f"{place}{workers}名工人因欠薪集体停工"
    if kind == "extreme_protest":
        return rng.choice(
            (
                f"一名工人爬上{place}塔吊讨要工资，经劝说后安全下来",
                f"工人在{place}悬挂横幅讨薪",
                "一名工人以喝药相威胁讨要工资，已送医",
            )
        )
    if kind == "public_opinion_hotspot":
        return f"网络出现“{place}拖欠工资”相关帖子，阅读量{rng.randint(2, 90)}万"
    if kind == "casualty_or_major_crime":
        return f"讨薪过程中发生肢体冲突，{rng.randint(1, 4)}人受伤"
    return "工人扬言将到市政府集体上访，事态有升级迹象"


_EVENT_TEXT = {
    "production_cut": ("订单减少，开工率不足五成", "部分生产线停产，实行轮岗"),
    "production_halt": ("企业已停产，厂区仅留少量值班人员", "项目停工，现场无人施工"),
    "relocation": ("企业计划整体搬迁至外地", "生产线外迁"),
    "restructuring": ("企业正在进行兼并重组", "股权变更，进入破产重整程序"),
    "abnormal_listing": ("通过登记的住所或者经营场所无法联系", "未按规定公示年度报告"),
    "closure_risk": ("企业经营困难，存在关停风险", "资金链紧张，可能关停"),
    "sudden_closure": ("企业突然停止经营，厂房已关闭", "项目部人去楼空"),
    "owner_absconded": ("法定代表人失联，电话无法接通", "实际经营者失联，疑似转移资产"),
    "asset_seized": ("厂房及设备被法院查封", "银行账户被冻结"),
    "economic_dispute": ("涉及买卖合同纠纷", "涉及民间借贷纠纷", "拖欠供应商货款被起诉"),
    "legal_rep_detained": ("法定代表人因涉嫌犯罪被采取强制措施",),
    "layoff": ("经济性裁员",),
    "downsizing": ("员工大量离职，减员过半",),
    "outsourcing": ("主要生产环节采用劳务外包",),
}


def event_description(rng: random.Random, event: str) -> str:
    """A short note on a business event."""
    return rng.choice(_EVENT_TEXT.get(event, ("",)))
