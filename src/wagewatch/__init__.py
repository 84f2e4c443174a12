"""wagewatch — 欠薪预警处置平台: wage-arrears early warning and disposal."""

__version__ = "0.1.0"
