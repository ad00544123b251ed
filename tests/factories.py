"""factory_boy factories shared by the whole suite."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import Role
from patients.models import Patient, Sex
from patients.services import mrn_generate


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@clinic.example")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def role(user: User, create: bool, extracted: Role | None, **kwargs) -> None:
        if create and extracted is not None:
            user.groups.add(Group.objects.get(name=extracted.value))


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    mrn = factory.LazyFunction(mrn_generate)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=90)
    sex = Sex.FEMALE
    phone = factory.Sequence(lambda n: f"+1312555{n % 10000:04d}")
    email = factory.LazyAttribute(lambda p: f"{p.first_name}.{p.last_name}@example.com".lower())


def adult_born(years: int = 40) -> dt.date:
    today = dt.date.today()
    return today.replace(year=today.year - years, day=min(today.day, 28))
