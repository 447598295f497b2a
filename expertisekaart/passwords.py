"""Password rules with Dutch messages where Django's own Dutch catalogue has none."""

from django.contrib.auth.password_validation import MinimumLengthValidator
from django.utils.translation import ngettext


class DutchMinimumLengthValidator(MinimumLengthValidator):
    # Django 5.2's Dutch catalogue leaves this message untranslated (it changed in 5.x).
    def get_error_message(self):
        return (
            ngettext(
                "Dit wachtwoord is te kort: gebruik ten minste %d teken.",
                "Dit wachtwoord is te kort: gebruik ten minste %d tekens.",
                self.min_length,
            )
            % self.min_length
        )

    def get_help_text(self):
        return (
            ngettext(
                "Uw wachtwoord moet ten minste %d teken bevatten.",
                "Uw wachtwoord moet ten minste %d tekens bevatten.",
                self.min_length,
            )
            % self.min_length
        )
