"""Excel input and output: finance officers fill in and read budget packages as workbooks.

``write_template`` gives a blank input workbook, ``write_workbook`` a filled one, and
``read_workbook`` reads either back into a ``BudgetPackage`` (exactly: JSON → XLSX → JSON is identical).
"""

from yusuan.excel.reader import read_workbook
from yusuan.excel.writer import write_template, write_workbook

__all__ = ["read_workbook", "write_template", "write_workbook"]
