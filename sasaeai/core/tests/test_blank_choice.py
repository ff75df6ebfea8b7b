from django import forms

from sasaeai.directory.models import Proposal


def test_a_choice_left_blank_reads_in_japanese() -> None:
    """Django 6.1 labels it "- Select an option -", which its Japanese catalogue lacks."""

    class Choosing(forms.ModelForm):
        class Meta:
            model = Proposal
            fields = ["kind"]

    assert next(iter(Choosing().fields["kind"].choices)) == ("", "選んでください")  # type: ignore[attr-defined]
