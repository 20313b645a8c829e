"""Phrase pools for the free-text columns (titles, descriptions, reasons): worded as an office would write them.

Rows keep an index into these pools; the writer looks the text up once per distinct index.
"""

from __future__ import annotations

from simulations.codes import CATEGORY

ITEM_TITLES: dict[int, tuple[str, ...]] = {
    CATEGORY["first_topic"]: (
        "传达学习习近平总书记重要讲话精神",
        "传达学习党中央重要会议精神",
        "学习贯彻习近平新时代中国特色社会主义思想",
        "传达学习上级党委重要文件精神",
        "学习习近平总书记重要指示批示精神",
    ),
    CATEGORY["personnel"]: (
        "研究干部任免事项",
        "研究推荐后备干部人选",
        "研究干部交流轮岗事项",
        "研究年度考核优秀等次人选",
        "研究试用期满干部转正事项",
    ),
    CATEGORY["discipline"]: (
        "研究对违纪党员的处分意见",
        "研究诫勉谈话事项",
        "研究问责处理意见",
    ),
    CATEGORY["major_decision"]: (
        "研究年度部门预算安排",
        "研究重大项目建设方案",
        "研究大额资金使用事项",
        "研究政府采购事项",
        "研究重要规章制度修订",
        "研究重点工作实施方案",
    ),
    CATEGORY["report"]: (
        "听取上半年工作情况汇报",
        "通报党风廉政建设工作情况",
        "听取安全生产工作汇报",
        "通报意识形态工作情况",
        "听取巡察整改进展情况汇报",
    ),
    CATEGORY["emergency_report"]: ("通报临机处置事项及处置结果",),
    CATEGORY["general"]: (
        "研究机关日常管理事项",
        "研究工会经费使用事项",
        "研究党建工作要点",
        "研究机关作风建设安排",
        "研究志愿服务活动方案",
    ),
}

EMERGENCY_TOPICS: tuple[str, ...] = (
    "防汛应急抢险",
    "突发疫情处置",
    "森林火情处置",
    "道路交通事故应急处置",
    "群体性事件处置",
    "极端天气应对",
)

RECUSAL_REASONS: tuple[str, ...] = (
    "涉及本人近亲属",
    "涉及本人",
    "与当事人有利害关系",
)

RECTIFICATION_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "democratic_life": (
        "理论学习不够深入系统",
        "联系服务群众不够紧密",
        "落实全面从严治党主体责任有差距",
        "调查研究不够深入",
        "工作作风不够扎实",
        "担当作为不够主动",
    ),
    "inspection": (
        "三重一大决策程序不规范",
        "会议记录不完整",
        "财务报销手续不齐全",
        "干部档案管理不规范",
        "意识形态工作责任制落实不到位",
    ),
    "audit": (
        "专项资金使用进度滞后",
        "政府采购程序不规范",
        "固定资产管理不规范",
    ),
    "other": (
        "群众反映问题办理不及时",
        "制度建设滞后",
    ),
}
