"""CPython-only parts of the assessor: reading YAML files and the command line.

Nothing in this subpackage is shipped in the browser's wheel, so the wheel never needs PyYAML.
"""
