"""Case collection in spreadsheets: the fill-in workbook, import with cell-located errors, export.

May import `content` and `pages` (pinyin slugs), never `site`.
"""
