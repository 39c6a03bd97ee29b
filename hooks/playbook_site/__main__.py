"""`python -m playbook_site export OUT_DIR`: the playbook as plain files for any mkdocs.yml builder.

Exit 0 on success, 1 on a problem (each on stderr), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from mkdocs.exceptions import MkDocsException

from . import export


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m playbook_site",
        description="Tools around the playbook site that need no MkDocs hook or plugin.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    command = commands.add_parser(
        "export",
        help="write every page, the nav and the assessment's assets as plain files",
        description=(
            "Write every generated page, the nav and the assessment's assets as plain files into "
            "OUT_DIR/docs, and a matching OUT_DIR/mkdocs.yml without the playbook's hook or "
            "plugin, so any mkdocs.yml-compatible builder can build the playbook."
        ),
    )
    command.add_argument("out_dir", metavar="OUT_DIR", type=Path, help="the folder to write")
    command.add_argument(
        "--framework",
        metavar="DIR",
        type=Path,
        help="the framework directory (default: the one the config names)",
    )
    command.add_argument(
        "-f",
        "--config-file",
        metavar="FILE",
        type=Path,
        default=Path("mkdocs.yml"),
        help="the site's config (default: mkdocs.yml)",
    )
    command.add_argument(
        "--force",
        action="store_true",
        help="replace OUT_DIR's docs/, overrides/ and mkdocs.yml when OUT_DIR is not empty",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    # MkDocs reports configuration problems through its logger: show them, without the INFO noise.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    mkdocs_log.setLevel(logging.WARNING)
    try:
        done = export.export(args.out_dir, args.config_file, args.framework, force=args.force)
    except MkDocsException as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        mkdocs_log.removeHandler(handler)
    print(
        f"Exported {done.pages} pages ({done.files} files) to {done.docs_dir}; "
        f"build it with: mkdocs build -f {done.config_file}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
