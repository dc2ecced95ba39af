import json
import sys

from django.core.management.base import BaseCommand, CommandError

from ocop.criteria.files import CriteriaFileError
from ocop.criteria.scoring import AnswerError, result_as_dict, score
from ocop.criteria.selectors import criteria_set_spec_find


class Command(BaseCommand):
    help = (
        "Score one sheet of answers against a criteria set and print the result as JSON. "
        "Unanswered criteria count 0 and give complete=false. Bad input exits with status 2."
    )

    def add_arguments(self, parser):
        parser.add_argument("--criteria-set", required=True, help="Criteria set code.")
        parser.add_argument(
            "--answers",
            required=True,
            help='JSON file {"criterion code": "option code", ...}; "-" reads stdin.',
        )

    def handle(self, *args, criteria_set, answers, **options):
        answers = self._read_answers(answers)
        try:
            spec = criteria_set_spec_find(code=criteria_set)
        except CriteriaFileError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if spec is None:
            raise CommandError(f"unknown criteria set {criteria_set!r}", returncode=2)
        try:
            result = score(spec, answers)
        except AnswerError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(json.dumps(result_as_dict(result), ensure_ascii=False, indent=2))

    def _read_answers(self, name: str) -> dict[str, str]:
        try:
            if name == "-":
                text = sys.stdin.read()
            else:
                with open(name, encoding="utf-8") as fh:
                    text = fh.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read answers {name!r}: {exc}", returncode=2) from None
        try:
            answers = json.loads(text)
        except (ValueError, RecursionError) as exc:
            # ValueError: a JSONDecodeError, or an integer past int()'s 4,300 digits;
            # RecursionError: arrays or objects nested thousands deep.
            raise CommandError(f"answers are not valid JSON: {exc}", returncode=2) from None
        if not isinstance(answers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in answers.items()
        ):
            raise CommandError(
                'answers must be a JSON object {"criterion code": "option code", ...}',
                returncode=2,
            )
        return answers
