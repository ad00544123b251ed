"""Seed the remaining dose rules: every per-session, per-site, per-muscle, per-limb, per-kg and
per-day figure of the toxin labels and protocols that the safety check can test with the data a
session holds; and the youngest labelled age of each indication that has one. docs/clinical-rules.md lists each rule with its source, confidence and edge test,
and the facts that are not rules, with why.

How a figure becomes a rule (the same as migration 0002):
- a maximum stated in a primary source (V: label copy, manufacturer HCP site) is a hard rule;
- the top of a recommended dose range, a protocol dose and any secondary (S) figure is a warning:
  the clinician may go on with a written reason;
- an unverified (U) figure is clinic configuration: a warning a manager may change or switch off,
  never hard (the table's CheckConstraint enforces it) and never shown as label fact.
No rule converts units between products: each names one product and counts only its units.

Data-only and idempotent, like 0002: a rule is created only when its code is missing, so a manager's
later edits survive a re-run. The rules 0002 seeded get their source re-worded to name the original
document, but only while their source is still the seeded text.
"""

import importlib
from decimal import Decimal

from django.db import migrations

V, S, U = "V", "S", "U"
HARD, WARNING = "hard", "warning"
SESSION, SITE, MUSCLE, SIDE, WINDOW = "per_session", "per_site", "per_muscle", "per_side", "cumulative_window"
ONE_DAY = 1  # a cumulative window of one clinic day: every signed session of the product that day

_PREEMPT = "PREEMPT fixed-site protocol (drugs.com answer, healthline, coding sites)"
_FOLLOW_THE_PAIN = "plus up to 40 U follow-the-pain shared by temporalis, occipitalis, trapezius (EHF 2018 consensus)"
_DYSPORT_PEDIATRIC = "DYSPORT label, pediatric spasticity (dysport.com HCP dosing)"

# (code, name, kind, severity, product, indication, muscle, population, limit U, limit U/kg, window days,
#  confidence, source)
DOSE_RULES = [
    # BOTOX pediatric upper limb: "3 Units/kg to 6 Units/kg ... should not exceed 6 Units/kg or 200 Units,
    # whichever is lower" per session in the upper limb.
    ("botox_pediatric_upper_limb_6ukg_200u_per_session",
     "Botox pediatric upper limb: ≤ lower of 6 U/kg or 200 U in one session",
     SESSION, HARD, "botox", "upper_limb_spasticity_pediatric", None, "pediatric", Decimal("200"), Decimal("6"),
     None, V, "BOTOX label, pediatric upper limb spasticity (botoxone.com pediatric spasticity dosing): 3–6 U/kg, "
     "not more than the lower of 6 U/kg or 200 U per session"),
    ("botox_pediatric_lower_limb_8ukg_300u_per_session",
     "Botox pediatric lower limb: ≤ lower of 8 U/kg or 300 U in one session",
     SESSION, WARNING, "botox", "lower_limb_spasticity_pediatric", None, "pediatric", Decimal("300"), Decimal("8"),
     None, U, "BOTOX pediatric lower limb spasticity 4–8 U/kg, max lower of 8 U/kg or 300 U (botoxone.com); "
     "not checked against the current label: configuration"),
    # Chronic migraine: 155 U is the protocol dose; 195 U the follow-the-pain ceiling.
    ("botox_chronic_migraine_155u_per_session", "Botox chronic migraine: more than the 155 U protocol dose",
     SESSION, WARNING, "botox", "chronic_migraine", None, "any", Decimal("155"), None, None, U,
     "PREEMPT 155 U / 31 sites. Whether the US label allows more (follow-the-pain) is unverified and payers may "
     "reject >155 U: configuration"),
    ("botox_chronic_migraine_195u_per_session", "Botox chronic migraine: ≤195 U in one session (follow-the-pain)",
     SESSION, WARNING, "botox", "chronic_migraine", None, "any", Decimal("195"), None, None, S,
     "European Headache Federation consensus 2018: 155–195 U to 31–39 sites every 12 weeks"),
    ("botox_chronic_migraine_5u_per_site", "Botox chronic migraine: 5 U (0.1 mL) per site",
     SITE, WARNING, "botox", "chronic_migraine", None, "any", Decimal("5"), None, None, S,
     f"{_PREEMPT}: 5 U = 0.1 mL of 100 U + 2 mL per site"),
] + [
    (f"botox_chronic_migraine_{slug}_{limit}u", f"Botox chronic migraine: ≤{limit} U in the {muscle.lower()}",
     MUSCLE, WARNING, "botox", "chronic_migraine", muscle, "any", Decimal(limit), None, None, S, source)
    for slug, muscle, limit, source in [
        ("corrugator", "Corrugator", 10, f"{_PREEMPT}: corrugator 10 U, 2 sites"),
        ("procerus", "Procerus", 5, f"{_PREEMPT}: procerus 5 U, 1 site"),
        ("frontalis", "Frontalis", 20, f"{_PREEMPT}: frontalis 20 U, 4 sites"),
        ("cervical_paraspinal", "Cervical paraspinal", 20, f"{_PREEMPT}: cervical paraspinal 20 U, 4 sites"),
        ("temporalis", "Temporalis", 80, f"PREEMPT temporalis 40 U, {_FOLLOW_THE_PAIN}"),
        ("occipitalis", "Occipitalis", 70, f"PREEMPT occipitalis 30 U, {_FOLLOW_THE_PAIN}"),
        ("trapezius", "Trapezius", 70, f"PREEMPT trapezius 30 U, {_FOLLOW_THE_PAIN}"),
    ]
] + [
    # Dysport, adults. The label's maximum is 1500 U per treatment session, upper and lower limb
    # combined; a limb is a plan here, so the limit is per clinic day across plans. It counts every
    # Dysport session that day: no indication's label allows more in one day.
    ("dysport_adult_1500u_per_day", "Dysport adults: ≤1500 U on one treatment day, all limbs and indications",
     WINDOW, HARD, "dysport", None, None, "adult", Decimal("1500"), None, ONE_DAY, V,
     "DYSPORT label, adult spasticity (dysporthcp.com): maximum 1500 U per treatment session, upper and lower "
     "limb combined"),
    ("dysport_upper_limb_adult_1000u_per_session", "Dysport adult upper limb: the label's 500–1000 U range",
     SESSION, WARNING, "dysport", "upper_limb_spasticity_adult", None, "adult", Decimal("1000"), None, None, V,
     "DYSPORT label, adult upper limb spasticity (dysporthcp.com): 500–1000 U per session"),
    ("dysport_cervical_dystonia_1000u_per_session", "Dysport cervical dystonia: the label's 250–1000 U range",
     SESSION, WARNING, "dysport", "cervical_dystonia", None, "any", Decimal("1000"), None, None, V,
     "DYSPORT label, cervical dystonia (drugs.com Dysport dosage, label copy): 500 U start, 250 U steps, "
     "250–1000 U"),
    # Dysport, children (2–17 y).
    ("dysport_pediatric_upper_limb_16ukg_640u_per_session",
     "Dysport pediatric upper limb: ≤ lower of 16 U/kg or 640 U in one session",
     SESSION, HARD, "dysport", "upper_limb_spasticity_pediatric", None, "pediatric", Decimal("640"), Decimal("16"),
     None, V, f"{_DYSPORT_PEDIATRIC}: upper limb 8–16 U/kg per limb, max lower of 16 U/kg or 640 U per session"),
    ("dysport_pediatric_lower_limb_15ukg_1000u_per_leg",
     "Dysport pediatric lower limb: ≤ lower of 15 U/kg or 1000 U in one leg",
     SIDE, HARD, "dysport", "lower_limb_spasticity_pediatric", None, "pediatric", Decimal("1000"), Decimal("15"),
     None, V, f"{_DYSPORT_PEDIATRIC}: lower limb 10–15 U/kg per leg, max lower of 15 U/kg or 1000 U"),
    ("dysport_pediatric_30ukg_1000u_per_day",
     "Dysport pediatric: ≤ lower of 30 U/kg or 1000 U on one treatment day, both legs or several limbs",
     WINDOW, HARD, "dysport", None, None, "pediatric", Decimal("1000"), Decimal("30"), ONE_DAY, V,
     f"{_DYSPORT_PEDIATRIC}: both legs 20–30 U/kg, several limbs max lower of 30 U/kg or 1000 U per session"),
    # Myobloc and Daxxify give cervical dystonia dose ranges, not maxima: the top is a warning.
    ("myobloc_cervical_dystonia_5000u_per_session", "Myobloc cervical dystonia: the label's 2,500–5,000 U range",
     SESSION, WARNING, "myobloc", "cervical_dystonia", None, "any", Decimal("5000"), None, None, V,
     "MYOBLOC label, cervical dystonia (PI copy on prescriberpoint; myobloc.com HCP): initial 2,500–5,000 U, "
     "lower if toxin-naive"),
    ("daxxify_cervical_dystonia_250u_per_session", "Daxxify cervical dystonia: the label's 125–250 U range",
     SESSION, WARNING, "daxxify", "cervical_dystonia", None, "any", Decimal("250"), None, None, V,
     "DAXXIFY cervical dystonia dosing (Medscape daxibotulinumtoxinA monograph): 125–250 U, 50–75 U steps"),
]

# The youngest labelled age per indication (V): BOTOX label, blepharospasm and strabismus "12 years
# of age and older"; BOTOX and Dysport pediatric spasticity from 2 years (botoxone.com, dysport.com HCP).
MINIMUM_AGES = {"blepharospasm": 12, "strabismus": 12, "upper_limb_spasticity_pediatric": 2,
                "lower_limb_spasticity_pediatric": 2}

# The original document behind each rule migration 0002 seeded (its source named a section of a
# reference file that is not part of this repository).
SOURCES_0002 = {
    "botox_adult_cumulative_400u_84d":
        "BOTOX label (drugs.com onabotulinumtoxinA dosage): adults ≤400 U cumulative in a 3 month interval; "
        "payer policies write '400 units every 84 days' (S)",
    "botox_pediatric_cumulative_10ukg_340u_84d":
        "Payer policy text: 'lesser of 10 units/kg or 340 units every 84 days' (S); the exact BOTOX label "
        "wording is unverified: configuration",
    "xeomin_400u_per_session":
        "XEOMIN label (drugs.com Xeomin dosage): maximum cumulative dose for any indication ≤400 U in a "
        "treatment session",
    "botox_blepharospasm_200u_30d":
        "BOTOX label, blepharospasm (botoxone.com, drugs.com): cumulative dose in a 30-day period should not "
        "exceed 200 U",
    "botox_strabismus_25u_per_injection":
        "BOTOX label, strabismus dosing (botoxone.com, drugs.com): maximum 25 U in a single injection",
    "botox_cervical_dystonia_50u_per_site":
        "Medscape BOTOX monograph; spasmodictorticollis.org: cervical dystonia ≤50 U per site",
    "botox_cervical_dystonia_scm_100u":
        "spasmodictorticollis.org (Allergan dose-range chart): sternocleidomastoid ≤100 U may decrease dysphagia",
    "botox_blepharospasm_5u_per_site":
        "BOTOX label, blepharospasm (botoxone.com, drugs.com): 1.25–2.5 U per site, may double; little benefit "
        "above 5 U per site",
} | {
    f"botox_{indication}_50u_per_site":
        "BOTOX label, spasticity (PI text quoted by a clinic site, botoxsarasotafl.com): 'no more than 50 Units "
        "per site should generally be administered'"
    for indication in ("upper_limb_spasticity_adult", "lower_limb_spasticity_adult",
                       "upper_limb_spasticity_pediatric", "lower_limb_spasticity_pediatric")
}


def seed(apps, schema_editor):
    DoseRule = apps.get_model("treatments", "DoseRule")
    Indication = apps.get_model("treatments", "Indication")
    Muscle = apps.get_model("treatments", "Muscle")
    Product = apps.get_model("treatments", "Product")

    for (code, name, kind, severity, product, indication, muscle, population, limit, per_kg, window,
         conf, source) in DOSE_RULES:
        DoseRule.objects.get_or_create(code=code, defaults={
            "name": name, "kind": kind, "severity": severity, "product": Product.objects.get(code=product),
            "indication": Indication.objects.get(code=indication) if indication else None,
            "muscle": Muscle.objects.get(name=muscle) if muscle else None, "population": population,
            "limit_units": limit, "limit_units_per_kg": per_kg, "window_days": window, "confidence": conf,
            "source": source,
        })
    for code, years in MINIMUM_AGES.items():
        Indication.objects.filter(code=code, minimum_age_years__isnull=True).update(minimum_age_years=years)
    seeded = {row[0]: row[-1] for row in importlib.import_module("treatments.migrations.0002_reference_data").DOSE_RULES}
    for code, source in SOURCES_0002.items():
        DoseRule.objects.filter(code=code, source=seeded[code]).update(source=source)


class Migration(migrations.Migration):
    dependencies = [("treatments", "0004_dose_rule_per_side_and_indication_age")]

    # Reversing leaves the rows: signed sessions' overrides may point at them.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
