"""One test per phrasing family added for real-world text (see docs/extract-labels.md).

Every sentence here is fresh: none is copied from the corpus or from blind2.jsonl.
"""

from __future__ import annotations

import pytest

from wagewatch.extract import extract

_EMPTY: dict[str, object] = {
    "months_owed": None,
    "workers": None,
    "amount_yuan": None,
    "employer_name": None,
    "flags": [],
    "is_wage_arrears": False,
}


# --- is_wage_arrears -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # notice words (依法, 确保) beside a concrete case with a Chinese-numeral count
        "经查，某保洁服务公司拖欠十二名保洁员工资近九万元，区人社局已依法立案。",
        "鸿运鞋业有限公司拖欠员工工资一事，镇政府表示将依法处理，确保工人拿到工钱。",
    ],
)
def test_notice_words_do_not_hide_a_concrete_case(text: str) -> None:
    assert extract(text).is_wage_arrears is True


@pytest.mark.parametrize(
    "text",
    [
        "上半年，市劳动监察支队共办结工资类案件231件，为1876名劳动者追发工资2300余万元。",
        "去年全县共排查化解欠薪线索412条，帮助900多名农民工讨回工钱。",
        "据统计，全区仲裁机构今年受理劳资纠纷87起，结案率96%。",
    ],
)
def test_statistics_are_not_a_claim(text: str) -> None:
    assert extract(text).to_contract() == _EMPTY


@pytest.mark.parametrize(
    "text",
    [
        "在街道的协调下，欠我们的三个月工资已全部发放到位。",
        "之前投诉的工资问题已兑现，谢谢。",
        "老板欠的工钱我已拿到，这个工单可以撤销了。",
        "工头把拖欠的劳务费全部要了回来，大家都很满意。",
        "上周老板把欠我的工资都打到卡上了。",
    ],
)
def test_resolution_phrasings(text: str) -> None:
    assert extract(text).to_contract() == _EMPTY


def test_partial_resolution_stays_a_claim() -> None:
    result = extract("工头说钱已发放到位，可我只收到一个月的，还有三个月的工资没给。")
    assert result.is_wage_arrears is True
    assert result.months_owed == 3


@pytest.mark.parametrize(
    "text",
    [
        "我们公司每月都是下个月20号才发工资，这样算拖欠工资吗？",
        "单位工资有时拖到次月中旬才发，这属于拖欠工资吗？",
        "我在超市上班，工资总是推迟几天发，算不算欠薪？",
    ],
)
def test_question_whether_late_pay_counts(text: str) -> None:
    assert extract(text).is_wage_arrears is False


def test_question_with_money_owed_now_is_a_claim() -> None:
    result = extract("公司拖欠我两个月工资共9000元了，这算恶意欠薪吗？")
    assert result.is_wage_arrears is True
    assert (result.months_owed, result.amount_yuan) == (2, 9000)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("矿上已经四个月没开支了，家里揭不开锅。", 4),
        ("公司没有按时发工资，拖了仨月了。", 3),
        ("老板把我的薪水压着不给，快两个月了。", 2),
        ("工头迟迟不付工钱，欠了我一个多月的。", 1),
    ],
)
def test_spoken_owing_phrasings(text: str, months: float) -> None:
    result = extract(text)
    assert result.is_wage_arrears is True
    assert result.months_owed == months


# --- months ----------------------------------------------------------------------------------


def test_bare_duration_clause_dates_the_arrears() -> None:
    text = "店里拖着我的工资不给，说是生意不好，到现在已经五个多月了。"
    assert extract(text).months_owed == 5


def test_bare_duration_after_a_promise_is_not_owed() -> None:
    text = "老板欠我工资，说好年底给，已经过了两个月了。"
    assert extract(text).months_owed is None


# --- workers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "workers"),
    [
        ("老陈和他的14名工友被包工头拖欠工资。", 15),
        ("刘师傅与其余5名同事两个月没拿到工资。", 6),
        ("小王带着同村的8个老乡来干活，老板欠了他们工钱。", 9),
        ("我们一家三口在这家厂打工，厂里欠了我们半年工资。", 3),
        ("全家四口都在果园干活，园主欠我们工钱一万二。", 4),
        ("我们十几个老职工都被拖欠了工资。", 10),
    ],
)
def test_named_worker_and_family_counts(text: str, workers: int) -> None:
    assert extract(text).workers == workers


def test_self_description_is_not_the_headcount() -> None:
    text = "我是一名焊工，公司已经三个月没发工资了，我们车间40多人都一样。"
    assert extract(text).workers == 40


# --- employer --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "employer"),
    [
        ("我在老街坊面馆打工，面馆欠我两个月工资。", "老街坊面馆"),
        ("本人在鼎盛车行做钣金，车行拖欠本人工资4000元。", "鼎盛车行"),
        ("我在悦来酒楼当厨师，酒楼欠我三个月工资。", "悦来酒楼"),
        ("我在再回首茶馆做服务员，茶馆一直拖着工资不给。", "再回首茶馆"),
        ("经审理查明，被告人钟某在经营聚福酒家期间，拖欠5名员工工资。", "聚福酒家"),
    ],
)
def test_business_endings(text: str, employer: str) -> None:
    assert extract(text).employer_name == employer


def test_taken_to_hospital_is_not_an_employer() -> None:
    text = "工人讨薪时被打伤，被送往医院，包工头吴某拖欠其工资6000元。"
    result = extract(text)
    assert result.employer_name == "吴某"
    assert "casualty" in result.flags


def test_a_hospital_can_still_be_the_employer() -> None:
    assert extract("我在康宁医院做护工，医院欠我两个月工资。").employer_name == "康宁医院"


# --- flags -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "老板欠我们工资后更换了联系方式。",
        "工头换了手机号，欠我的工钱没着落。",
        "店主变更手机号码，拖欠店员工资。",
    ],
)
def test_changed_contact_is_fled(text: str) -> None:
    assert "fled" in extract(text).flags


# --- round 2: families found from the blind2 misses (fresh sentences) --------------------------


def test_one_case_is_not_statistics() -> None:
    text = "区监察大队查处一起欠薪案件，某模具厂拖欠15名工人工资共9万元。"
    result = extract(text)
    assert result.is_wage_arrears is True
    assert (result.workers, result.amount_yuan) == (15, 90000)


@pytest.mark.parametrize(
    "text",
    [
        "镇里组织对辖区企业开展欠薪隐患排查，没有发现拖欠工资问题。",
        "总包说工程款早已付清，可班组长仍欠我们工资。",
    ],
)
def test_campaign_terms_and_other_debts(text: str) -> None:
    expected = "工资" in text and "仍欠" in text
    assert extract(text).is_wage_arrears is expected


@pytest.mark.parametrize(
    "text",
    [
        "单位工资照常发，就是一直没给我们交社保，怎么办？",
        "请问公司不发高温补贴合法吗？",
    ],
)
def test_contributions_and_legality_questions_are_not_claims(text: str) -> None:
    assert extract(text).is_wage_arrears is False


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("公司从2023年10月开始就不再发工资，一直拖到2024年3月我离职。", 6),
        ("被告自2021年5月起在原告处工作，自2022年1月起未发放工资，至2022年4月离职。", 4),
        ("饭店拖欠我6月份工资3500元。", 1),
        ("上上个月和上个月的工资老板都没给。", 2),
        ("请求裁决被申请人支付2024年1月至3月拖欠工资9000元及未签劳动合同二倍工资。", 3),
        ("工头欠我三个月工资，上周只给了一个月的。", 2),
    ],
)
def test_calendar_months_owed(text: str, months: float) -> None:
    assert extract(text).months_owed == months


def test_a_duration_that_qualifies_another_noun_is_not_owed() -> None:
    assert extract("老板欠我工钱两万元，那是我一年的收入。").months_owed is None


@pytest.mark.parametrize(
    ("text", "workers"),
    [
        ("老板欠我两个月工资，求大家帮帮我。", 1),
        ("包工头欠我爸工钱一万多，我们家就指望这笔钱了。", 1),
        ("留言：厂里欠我一个月工资。回复：我们已转交属地核查，我们将及时反馈。", 1),
    ],
)
def test_plural_words_that_are_not_a_crew(text: str, workers: int) -> None:
    assert extract(text).workers == workers


def test_spoken_range_of_people_is_a_group_without_a_count() -> None:
    result = extract("我们七八个工友被老板拖欠了三个月工资。")
    assert result.workers is None
    assert "group" in result.flags


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("某保洁公司拖欠员工2024年1月至2月工资约12万元。", 120000),
        ("厂里欠我工资6000元及加班费800元。", 6800),
        ("被申请人尚欠工资5000元及经济补偿金3000元。", 5000),
        ("我在华润万家超市上班，超市欠我一个月工资。", None),
        ("十几名工人被欠薪，每人少则三千元、多则一万元。", None),
    ],
)
def test_amount_families(text: str, amount: float | None) -> None:
    assert extract(text).amount_yuan == amount


@pytest.mark.parametrize(
    ("text", "employer"),
    [
        ("我在城北一家小厂上班，厂名叫宏丰塑料厂，老板欠我两个月工资。", "宏丰塑料厂"),
        ("这家名为“川味坊”的饭店拖欠5名员工工资。", "川味坊饭店"),
        ("“老王”烧烤店关门了，店里欠我一个月工资。", "“老王”烧烤店"),
        ("我在某连锁便利店（美宜佳东门店）上班，店里欠我工资2000元。", "美宜佳东门店"),
        ("我在永辉超市（城南店）上班，超市欠我一个月工资。", "永辉超市"),
        ("被告人吕某，系鑫隆五金制品有限公司实际经营人，拖欠9名员工工资。", "鑫隆五金制品有限公司"),
        ("包工头姓严，严某以没拿到工程款为由拖着工人工资不给。", "严某"),
        ("我在万家纺织有限公司上班，公司欠我三个月工资。", "万家纺织有限公司"),
        ("我在福满楼饭店打工，饭店欠我工资。", "福满楼饭店"),
        ("我在欢乐KTV上班，KTV欠我两个月工资。", "欢乐KTV"),
    ],
)
def test_employer_families(text: str, employer: str) -> None:
    assert extract(text).employer_name == employer


def test_upstream_contractor_is_not_the_employer() -> None:
    text = (
        "记者从总包单位江苏某建设集团获悉，已将劳务款拨付给分包商，分包负责人邵某某仍拖欠工人工资。"
    )
    assert extract(text).employer_name == "邵某某"


def test_closing_a_shop_is_not_a_shop_name() -> None:
    result = extract("健身房突然闭店，老板欠5名教练工资后把大家拉黑。")
    assert result.employer_name is None
    assert "fled" in result.flags


@pytest.mark.parametrize(
    ("text", "flag", "raised"),
    [
        ("一名工人爬上县城某在建小区工地一台30多米高的塔吊讨薪。", "extreme", True),
        ("来电人称某礼仪公司拖欠其劳务费500元。", "construction", False),
        ("来电人在红木家具厂做木工，厂里欠其工资。", "construction", False),
        ("工人在工地做木工，包工头欠其工资。", "construction", True),
        ("老板把店里的钱卷走了，欠我们工资。", "fled", True),
    ],
)
def test_flag_families(text: str, flag: str, raised: bool) -> None:
    assert (flag in extract(text).flags) is raised


# --- round 3 and 4 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "employer"),
    [
        (
            "我在一家物流公司（捷运达供应链管理有限公司）开车，公司欠我两个月工资。",
            "捷运达供应链管理有限公司",
        ),
        ("仲裁委裁决某食品公司支付11名员工拖欠工资8万元。", "某食品公司"),
        (
            "我们在县医院改造工程干活，劳务分包给了湖南湘建劳务有限公司，该公司欠我们工资。",
            "湖南湘建劳务有限公司",
        ),
        ("被告人焦某某作为洛阳市恒通机械有限公司负责人，拖欠员工工资。", "洛阳市恒通机械有限公司"),
        ("我们是北郊快运站点的快递员，总部公司在外省。站点自5月起拖欠我们工资。", "北郊快运站点"),
        (
            "我在某印刷厂上班，厂里已经两个月没发工资，厂子全称是彩虹印务有限公司。",
            "彩虹印务有限公司",
        ),
    ],
)
def test_employer_round3_families(text: str, employer: str) -> None:
    assert extract(text).employer_name == employer


def test_remaining_after_a_payment_in_the_reply() -> None:
    text = (
        "留言：某驾校欠我工资8000元。\n回复：经协调，驾校已支付您3000元，剩余5000元承诺月底付清。"
    )
    assert extract(text).amount_yuan == 5000


def test_block_word_before_the_owing_verb_is_about_something_else() -> None:
    assert extract("这些工人因工厂停产已被拖欠三个月工资。").months_owed == 3


# --- round 5: families found by probing with fresh real-style sentences -----------------------


def test_held_back_pay_verb_before_a_count() -> None:
    assert extract("厂里已欠发我们工资4个月，共计2万元。").months_owed == 4


def test_nothing_paid_since_a_date_is_not_nothing_paid_for_the_time_worked() -> None:
    assert extract("我在这个厂干了两年，从今年3月开始就没发过工资。").months_owed is None


def test_wages_arrived_in_full_is_a_resolution() -> None:
    assert extract("拖欠我们的三个月工资已经全部到位了，谢谢！").is_wage_arrears is False


def test_party_named_by_its_role_without_a_suffix() -> None:
    text = "工人反映，总包方华兴建工至今拖欠劳务费30万元。"
    assert extract(text).employer_name == "华兴建工"
