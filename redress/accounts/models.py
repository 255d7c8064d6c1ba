"""Staff, the organisations and departments they work in, their roles, and API tokens."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from redress.common import clock


class Organisation(models.Model):
    """A business that recovers its customers with Redress (a restaurant chain, a hotel …)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A team that owns cases: a branch, a front desk, a service centre.

    The organisation's default intake department receives complaints that arrive with no
    one to route them (the public form and public API).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="departments",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    is_default_intake = models.BooleanField(
        _("default intake"), default=False,
        help_text=_("Public complaints with no other destination land here."),
    )
    manager = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("manager"),
        help_text=_("Told when a case stays overdue after its supervisors were alerted."),
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="department_unique_name"),
            models.UniqueConstraint(
                fields=["is_default_intake"], condition=models.Q(is_default_intake=True),
                name="one_default_intake_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} · {self.name}"


class Role(models.TextChoices):
    AGENT = "agent", _("Frontline agent")
    SUPERVISOR = "supervisor", _("Supervisor")
    MANAGER = "manager", _("Manager")
    QUALITY = "quality", _("Quality manager")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    """A member of staff. Customers have no account: they are `cases.Customer`."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AGENT)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="members",
        verbose_name=_("department"),
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def sees_all_departments(self) -> bool:
        return self.role in (Role.QUALITY, Role.ADMIN) or self.is_superuser

    @property
    def is_supervisor_or_above(self) -> bool:
        return (
            self.role in (Role.SUPERVISOR, Role.MANAGER, Role.QUALITY, Role.ADMIN)
            or self.is_superuser
        )


class ApiToken(models.Model):
    """A bearer token for an integrator acting as a staff member. Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text=_("First characters, to tell tokens apart."))
    created_at = models.DateTimeField(default=clock.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user.username})"
