"""The domain: papers, their storage, importers, the query language, citations.

Nothing here imports `textual` or `rich`.
"""
