from django.db import transaction

from sasaeai.areas.models import Area

from .models import Membership, User


@transaction.atomic
def grant_role(email: str, area: Area, role: str, display_name: str = "") -> Membership:
    """Give `email` a role on `area`, creating the account (without a password) if new.

    A new person sets their password through "パスワードを忘れた方" on the sign-in page.
    """
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, None, display_name=display_name, municipality=area.municipality
        )
    elif user.municipality_id is None:
        user.municipality = area.municipality
        user.save(update_fields=["municipality"])
    membership, _ = Membership.objects.get_or_create(user=user, area=area, role=role)
    return membership
