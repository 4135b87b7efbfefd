"""Forms for following bodies."""

from django import forms


class FollowByEmailForm(forms.Form):
    """The public give an address; nothing is sent about meetings until they confirm it."""

    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="We will send you a link to confirm. Nothing else is sent until you click it.",
        error_messages={
            "required": "Enter your e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.com",
            "max_length": "Enter an e-mail address of 254 characters or fewer",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class UnfollowForm(forms.Form):
    """Which of the signed-in user's subscriptions to stop."""

    subscription = forms.ModelChoiceField(
        queryset=None,
        error_messages={
            "required": "Choose a body to stop following",
            "invalid_choice": "You do not follow that body any more",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subscription"].queryset = user.subscriptions.all()
