import json

from django.core.management.base import BaseCommand, CommandError

from ocop.criteria.files import CriteriaFileError
from ocop.criteria.scoring import number, spec_as_dict
from ocop.criteria.selectors import criteria_set_spec_find, criteria_set_spec_list


class Command(BaseCommand):
    help = (
        "List the loaded criteria sets (code, decision, product group, max points; tab-separated)"
        " or export one as JSON. Reads the data files when none is loaded in the database."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="One set per line.")
        export = sub.add_parser("export", help="One set as JSON on stdout.")
        export.add_argument("code")

    def handle(self, *args, action, code=None, **options):
        try:
            if action == "list":
                for spec in criteria_set_spec_list():
                    self.stdout.write(
                        "\t".join(
                            [
                                spec.code,
                                spec.decision,
                                spec.product_group,
                                str(number(spec.max_points)),
                            ]
                        )
                    )
                return
            spec = criteria_set_spec_find(code=code)
        except CriteriaFileError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if spec is None:
            raise CommandError(f"unknown criteria set {code!r}", returncode=2)
        self.stdout.write(json.dumps(spec_as_dict(spec), ensure_ascii=False, indent=2))
