"""The playbook site: framework -> generated pages, nav, assessment page and runtime assets.

Plain modules that the MkDocs hook (`hooks/playbook.py`) calls and that tests import directly.
"""
