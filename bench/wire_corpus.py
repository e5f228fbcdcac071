"""The wire parser's precision and recall on the hand-marked corpus in tests/wire_corpus/.

Prints the figures and every miss; never fails. The floor the tests hold is in
tests/test_wire_corpus.py.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")


def main() -> None:
    import django

    django.setup()
    from tests.wire_corpus import evaluate, stories

    for title, held_out in (("development set (rules tuned on it)", False), ("held-out set", True)):
        score = evaluate(stories(held_out=held_out))
        print(f"== {title}: {score.stories} stories ==")
        print(
            f"attributions: {score.true_positives} right, {score.false_positives} wrong, {score.false_negatives} missed"
        )
        print(f"{'precision':<24}{score.precision:>8.3f}")
        print(f"{'recall':<24}{score.recall:>8.3f}")
        print(f"{'anonymity right':<24}{score.anonymity_right:>4} of {score.true_positives}")
        print(f"{'credits right':<24}{score.credits_right:>4} of {score.stories}")
        print(f"{'datelines right':<24}{score.datelines_right:>4} of {score.stories}")
        for miss in score.misses:
            print(f"  {miss}")


if __name__ == "__main__":
    main()
