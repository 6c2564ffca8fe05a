"""Biểu chỉ tiêu Đại hội: from raw commune workbooks to the congress report's annexes."""
