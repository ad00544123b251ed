"""Seed the clinical reference data (labels, CMS and coding pages; see docs/clinical-rules.md).

Data-only and idempotent: every row is looked up by its natural key and created only when missing,
so re-running never duplicates rows and never overwrites what a manager has since edited. The
data are literals here on purpose: a migration must not import application code that may change.

Each row's ``source`` names where its figure came from and ``confidence`` copies that source's mark
(V primary, S secondary, U unverified). A U fact is configuration only: never a hard DoseRule
(the table's CheckConstraint enforces that) and never shown as label fact.
"""

from decimal import Decimal

from django.db import migrations

V, S, U = "V", "S", "U"

# PHQ-9, GAD-7 and EQ-5D VAS apply to every patient (quality of life); they are listed on every
# indication so that the outcomes app can read one field.
QOL_SCALES = ["phq9", "gad7", "eq5d_vas"]
LIMB_CPT = ["64642", "64643", "64644", "64645"]  # CPT: by extremity and muscle count (V)

# (code, name, population, cpt, bills_by_limb, cycle weeks, minimum interval weeks, scales, confidence, source)
INDICATIONS = [
    ("chronic_migraine", "Chronic migraine", "adult", ["64615"], False, 12, 12,
     ["headache_days", "midas", "hit6"], S,
     "§3 Chronic migraine: every 12 weeks (S); §2 re-treatment: CM every 12 weeks (S); §5 scales"),
    ("cervical_dystonia", "Cervical dystonia", "adult", ["64616"], False, 12, 12,
     ["twstrs", "tsui"], U,
     "§3 Cervical dystonia: Dysport ≥12 wk (V); others ≥12 wk (U), so the 12-week minimum is "
     "clinic configuration"),
    ("upper_limb_spasticity_adult", "Upper-limb spasticity (adult)", "adult", LIMB_CPT, True, 12, 12,
     ["modified_ashworth"], V,
     "§3 Upper-limb spasticity: ≥12 wk (Botox, Dysport, Xeomin); §2 spasticity 'generally no sooner "
     "than 12 weeks' (V)"),
    ("lower_limb_spasticity_adult", "Lower-limb spasticity (adult)", "adult", LIMB_CPT, True, 12, 12,
     ["modified_ashworth"], V,
     "§3 Lower-limb spasticity: ≥12 wk; §2 spasticity 'generally no sooner than 12 weeks' (V)"),
    ("upper_limb_spasticity_pediatric", "Upper-limb spasticity (pediatric, 2–17 y)", "pediatric", LIMB_CPT,
     True, 12, 12, ["modified_ashworth"], V,
     "§3 Spasticity, pediatric: Botox ≥12 wk (V). Dysport pediatric upper limb is ≥16 wk (V, product-"
     "specific): set the plan's minimum interval to 16 weeks for a Dysport plan"),
    ("lower_limb_spasticity_pediatric", "Lower-limb spasticity (pediatric, 2–17 y)", "pediatric", LIMB_CPT,
     True, 12, 12, ["modified_ashworth"], V,
     "§3 Spasticity, pediatric: Botox ≥12 wk, Dysport LLS ≥12 wk (V)"),
    ("blepharospasm", "Blepharospasm (≥12 y)", "any", ["64612"], False, 12, 12,
     ["jankovic", "bdi"], V,
     "§3 Blepharospasm: ~3 months, tolerance if more often (V); 12 weeks is our reading of '~3 months'"),
    ("strabismus", "Strabismus (≥12 y)", "any", ["67345"], False, 12, 1,
     ["prism_diopters"], U,
     "§3 Strabismus: no label cycle; re-examine 7–14 d, ~50 % need repeat (V). Cycle and minimum "
     "interval here are clinic configuration (U)"),
]

# ICD-10-CM codes per indication: (code, description, billable, confidence). ICD-10-CM lists and coding notes.
_CM = "§3 Chronic migraine ICD-10-CM (V; G43.E- new FY2024)"
_SPAST = "§3 Spasticity ICD-10-CM examples and ICD notes"
_LIMB_CAUSES = [
    ("I69.351", "Hemiplegia and hemiparesis following cerebral infarction affecting right dominant side", True, S),
    ("I69.352", "Hemiplegia and hemiparesis following cerebral infarction affecting left dominant side", True, U),
    ("I69.353", "Hemiplegia and hemiparesis following cerebral infarction affecting right non-dominant side",
     True, U),
    ("I69.354", "Hemiplegia and hemiparesis following cerebral infarction affecting left non-dominant side",
     True, U),
    ("G81.10", "Spastic hemiplegia affecting unspecified side", True, S),
    ("G81.11", "Spastic hemiplegia affecting right dominant side", True, S),
    ("G81.12", "Spastic hemiplegia affecting left dominant side", True, S),
    ("G81.13", "Spastic hemiplegia affecting right nondominant side", True, S),
    ("G81.14", "Spastic hemiplegia affecting left nondominant side", True, S),
    ("G80.0", "Spastic quadriplegic cerebral palsy", True, S),
    ("G80.1", "Spastic diplegic cerebral palsy", True, S),
    ("G80.2", "Spastic hemiplegic cerebral palsy", True, S),
    ("G82.20", "Paraplegia, unspecified", True, V),
    ("G82.21", "Paraplegia, complete", True, V),
    ("G82.22", "Paraplegia, incomplete", True, V),
    ("G82.50", "Quadriplegia, unspecified", True, V),
    ("G82.51", "Quadriplegia, C1-C4 complete", True, V),
    ("G82.52", "Quadriplegia, C1-C4 incomplete", True, V),
    ("G82.53", "Quadriplegia, C5-C7 complete", True, V),
    ("G82.54", "Quadriplegia, C5-C7 incomplete", True, V),
]
_MS = [
    # G35 became a non-billable header on 1 Oct 2025 (FY2026), V.
    ("G35", "Multiple sclerosis (header since FY2026: pick a sub-code)", False, V),
    ("G35.A", "Relapsing-remitting multiple sclerosis", True, V),
    ("G35.B0", "Primary progressive multiple sclerosis, unspecified", True, V),
    ("G35.B1", "Active primary progressive multiple sclerosis", True, V),
    ("G35.B2", "Non-active primary progressive multiple sclerosis", True, V),
    ("G35.C0", "Secondary progressive multiple sclerosis, unspecified", True, V),
    ("G35.C1", "Active secondary progressive multiple sclerosis", True, V),
    ("G35.C2", "Non-active secondary progressive multiple sclerosis", True, V),
    ("G35.D", "Multiple sclerosis, unspecified", True, V),
]
_PEDIATRIC_CAUSES = [row for row in _LIMB_CAUSES if row[0].startswith(("G80", "G81", "G82"))]

DIAGNOSIS_CODES = {
    "chronic_migraine": (_CM, [
        ("G43.701", "Chronic migraine without aura, not intractable, with status migrainosus", True, V),
        ("G43.709", "Chronic migraine without aura, not intractable, without status migrainosus", True, V),
        ("G43.711", "Chronic migraine without aura, intractable, with status migrainosus", True, V),
        ("G43.719", "Chronic migraine without aura, intractable, without status migrainosus", True, V),
        ("G43.E01", "Chronic migraine with aura, not intractable, with status migrainosus", True, V),
        ("G43.E09", "Chronic migraine with aura, not intractable, without status migrainosus", True, V),
        ("G43.E11", "Chronic migraine with aura, intractable, with status migrainosus", True, V),
        ("G43.E19", "Chronic migraine with aura, intractable, without status migrainosus", True, V),
    ]),
    "cervical_dystonia": ("§3 Cervical dystonia ICD-10-CM", [
        ("G24.3", "Spasmodic torticollis", True, V),
        ("M43.6", "Torticollis (listed by Revance)", True, S),
    ]),
    "upper_limb_spasticity_adult": (_SPAST, _LIMB_CAUSES + _MS),
    "lower_limb_spasticity_adult": (_SPAST, _LIMB_CAUSES + _MS),
    "upper_limb_spasticity_pediatric": (_SPAST, _PEDIATRIC_CAUSES),
    "lower_limb_spasticity_pediatric": (_SPAST, _PEDIATRIC_CAUSES),
    "blepharospasm": ("§3 Blepharospasm ICD-10-CM", [
        ("G24.5", "Blepharospasm", True, V),
        # U: the code (and whether it now needs a laterality sub-code) is unconfirmed, so it is
        # seeded as not billable until a manager confirms it.
        ("G51.3", "Clonic hemifacial spasm (unverified: confirm the code before billing)", False, U),
    ]),
    "strabismus": ("§3 Strabismus: H49.- / H50.- (sub-codes U)", [
        ("H49", "Paralytic strabismus (category header: pick a sub-code)", False, V),
        ("H50", "Other strabismus (category header: pick a sub-code)", False, V),
        ("H49.20", "Sixth [abducent] nerve palsy, unspecified eye (unverified sub-code)", True, U),
        ("H50.00", "Unspecified esotropia (unverified sub-code)", True, U),
        ("H50.10", "Unspecified exotropia (unverified sub-code)", True, U),
        ("H50.9", "Unspecified strabismus (unverified sub-code)", True, U),
    ]),
}

# (code, brand, generic, HCPCS, units per billing unit, ready-to-use, use-within h, active, confidence,
#  source, vial sizes [(units, volume mL or None, confidence)])
PRODUCTS = [
    ("botox", "Botox", "onabotulinumtoxinA", "J0585", 1, False, 24, True, V,
     "§1 Botox: J0585 = 1 U (V); give within 24 h of reconstitution, 2–8 °C (V)",
     [(50, None, V), (100, None, V), (200, None, V)]),
    ("dysport", "Dysport", "abobotulinumtoxinA", "J0586", 5, False, 24, True, S,
     "§1 Dysport: J0586 = 5 U (V); within 24 h, 2–8 °C (S)",
     [(300, None, V), (500, None, V)]),
    ("xeomin", "Xeomin", "incobotulinumtoxinA", "J0588", 1, False, 24, True, V,
     "§1 Xeomin: J0588 = 1 U (V); within 24 h, 2–8 °C (V)",
     [(50, None, V), (100, None, V), (200, None, V)]),
    ("myobloc", "Myobloc", "rimabotulinumtoxinB", "J0587", 100, True, 4, True, U,
     "§1 Myobloc: J0587 = 100 U (V); ready-to-use 5,000 U/mL; diluted use-by ~4 h (U: configuration)",
     [(2500, Decimal("0.50"), S), (5000, Decimal("1.00"), S), (10000, Decimal("2.00"), S)]),
    ("daxxify", "Daxxify", "daxibotulinumtoxinA-lanm", "J0589", 1, False, 72, True, U,
     "§1 Daxxify: J0589 = 1 U (V); 72 h after reconstitution (U: configuration)",
     [(50, None, V), (100, None, V)]),
    ("botox_cosmetic", "Botox Cosmetic", "onabotulinumtoxinA", "", 1, False, 24, False, V,
     "§1 Botox Cosmetic: cosmetic, no HCPCS (billing U); 24 h (V)",
     [(50, None, V), (100, None, V)]),
    ("jeuveau", "Jeuveau", "prabotulinumtoxinA-xvfs", "", 1, False, 24, False, V,
     "§1 Jeuveau: glabellar lines only, no HCPCS; within 24 h (V)",
     [(100, None, V)]),
]

HEAD, EYE, NECK, UPPER, LOWER, TRUNK = "head", "eye", "neck", "upper_limb", "lower_limb", "trunk"
# (name, region, paired). Eyelid portions of orbicularis oculi are separate rows because the
# BOTOX blepharospasm protocol names them; they are facial muscles (64612), not extraocular.
MUSCLES = [
    ("Corrugator", HEAD, True), ("Procerus", HEAD, False), ("Frontalis", HEAD, True),
    ("Temporalis", HEAD, True), ("Occipitalis", HEAD, True), ("Masseter", HEAD, True),
    ("Orbicularis oculi, pretarsal upper lid, medial", HEAD, True),
    ("Orbicularis oculi, pretarsal upper lid, lateral", HEAD, True),
    ("Orbicularis oculi, pretarsal lower lid, lateral", HEAD, True),
    ("Orbicularis oculi, orbital portion", HEAD, True),
    ("Medial rectus", EYE, True), ("Lateral rectus", EYE, True), ("Superior rectus", EYE, True),
    ("Inferior rectus", EYE, True), ("Superior oblique", EYE, True), ("Inferior oblique", EYE, True),
    ("Cervical paraspinal", NECK, True), ("Trapezius", NECK, True), ("Sternocleidomastoid", NECK, True),
    ("Splenius capitis", NECK, True), ("Semispinalis capitis", NECK, True), ("Levator scapulae", NECK, True),
    ("Scalenus anterior", NECK, True), ("Scalenus medius", NECK, True), ("Longissimus capitis", NECK, True),
    # Shoulder-girdle muscles are listed as upper limb; how CPT counts them is unverified (U).
    ("Pectoralis major", UPPER, True), ("Latissimus dorsi", UPPER, True), ("Teres major", UPPER, True),
    ("Biceps brachii", UPPER, True), ("Brachialis", UPPER, True), ("Brachioradialis", UPPER, True),
    ("Triceps brachii", UPPER, True), ("Pronator teres", UPPER, True), ("Pronator quadratus", UPPER, True),
    ("Flexor carpi radialis", UPPER, True), ("Flexor carpi ulnaris", UPPER, True),
    ("Flexor digitorum superficialis", UPPER, True), ("Flexor digitorum profundus", UPPER, True),
    ("Flexor pollicis longus", UPPER, True), ("Adductor pollicis", UPPER, True),
    ("Flexor pollicis brevis / opponens pollicis", UPPER, True), ("Lumbricals / interossei (hand)", UPPER, True),
    ("Iliopsoas", LOWER, True), ("Rectus femoris", LOWER, True), ("Adductor magnus", LOWER, True),
    ("Adductor longus", LOWER, True), ("Medial hamstrings", LOWER, True), ("Lateral hamstrings", LOWER, True),
    ("Gastrocnemius, medial head", LOWER, True), ("Gastrocnemius, lateral head", LOWER, True),
    ("Soleus", LOWER, True), ("Tibialis posterior", LOWER, True), ("Tibialis anterior", LOWER, True),
    ("Flexor digitorum longus", LOWER, True), ("Flexor hallucis longus", LOWER, True),
    ("Extensor hallucis longus", LOWER, True),
    ("Rectus abdominis", TRUNK, True), ("Erector spinae (thoracolumbar paraspinal)", TRUNK, True),
    ("Quadratus lumborum", TRUNK, True),
]

FIVE = Decimal("5.00")
# Chronic-migraine per-site table (PREEMPT fixed sites, S): 31 sites × 5 U = 155 U.
PREEMPT_SITES = (
    [("Corrugator", "left", FIVE), ("Corrugator", "right", FIVE), ("Procerus", "midline", FIVE)]
    + [("Frontalis", side, FIVE) for side in ("left", "right") for _ in range(2)]
    + [("Temporalis", side, FIVE) for side in ("left", "right") for _ in range(4)]
    + [("Occipitalis", side, FIVE) for side in ("left", "right") for _ in range(3)]
    + [("Cervical paraspinal", side, FIVE) for side in ("left", "right") for _ in range(2)]
    + [("Trapezius", side, FIVE) for side in ("left", "right") for _ in range(3)]
)
# BOTOX label, blepharospasm: 3 sites per eye at 1.25–2.5 U per site (V). We seed the lower bound,
# 1.25 U: the label's initial range starts there, so the template never pre-fills a dose above it;
# the clinician raises it (the label allows doubling if the effect lasts < 2 months).
BLEPHAROSPASM_UNITS = Decimal("1.25")
BLEPHAROSPASM_SITES = [
    (muscle, side, BLEPHAROSPASM_UNITS)
    for side in ("left", "right")
    for muscle in (
        "Orbicularis oculi, pretarsal upper lid, medial",
        "Orbicularis oculi, pretarsal upper lid, lateral",
        "Orbicularis oculi, pretarsal lower lid, lateral",
    )
]
# Muscle lists carry no doses (the clinician sets them). Limb lists are one-sided; a session takes
# the side from its plan (see treatments.services.session_start). Which muscles a clinic lists is
# its own starting point, not a label fact, hence confidence U.
CD_MUSCLES = ["Sternocleidomastoid", "Splenius capitis", "Trapezius", "Levator scapulae", "Semispinalis capitis",
              "Scalenus anterior"]
UPPER_LIMB_MUSCLES = ["Biceps brachii", "Brachialis", "Brachioradialis", "Pronator teres", "Flexor carpi radialis",
                      "Flexor carpi ulnaris", "Flexor digitorum superficialis", "Flexor digitorum profundus",
                      "Flexor pollicis longus", "Adductor pollicis"]
LOWER_LIMB_MUSCLES = ["Gastrocnemius, medial head", "Gastrocnemius, lateral head", "Soleus", "Tibialis posterior",
                      "Flexor digitorum longus", "Flexor hallucis longus"]

# (name, indication, product or None, confidence, source, description, sites [(muscle, side, units)])
TEMPLATES = [
    ("PREEMPT chronic migraine (155 U, 31 sites)", "chronic_migraine", "botox", S,
     "§3 Chronic migraine per-site table (PREEMPT, S)",
     "31 fixed sites × 5 U (0.1 mL of 100 U + 2 mL), 30-G ½-in needle. Follow-the-pain up to 195 U is "
     "not in the template: its US-label status is unverified (§3, U).",
     PREEMPT_SITES),
    ("Blepharospasm (3 sites per eye)", "blepharospasm", "botox", V,
     "§3 Blepharospasm: 1.25–2.5 U/site, 3 sites/eye (V)",
     "Medial and lateral pretarsal upper lid, lateral pretarsal lower lid; seeded at 1.25 U per site "
     "(the lower bound of the label's 1.25–2.5 U).",
     BLEPHAROSPASM_SITES),
    ("Cervical dystonia: muscle list", "cervical_dystonia", None, U,
     "Clinic starting list; doses individualized (§3 Cervical dystonia)",
     "Doses blank: individualized per patient.",
     [(muscle, side, None) for muscle in CD_MUSCLES for side in ("left", "right")]),
    ("Upper-limb spasticity (adult): muscle list", "upper_limb_spasticity_adult", None, U,
     "Clinic starting list (§3 Upper-limb spasticity)", "Doses blank; side from the plan.",
     [(muscle, "left", None) for muscle in UPPER_LIMB_MUSCLES]),
    ("Lower-limb spasticity (adult): muscle list", "lower_limb_spasticity_adult", None, U,
     "Clinic starting list (§3 Lower-limb spasticity)", "Doses blank; side from the plan.",
     [(muscle, "left", None) for muscle in LOWER_LIMB_MUSCLES]),
    ("Upper-limb spasticity (pediatric): muscle list", "upper_limb_spasticity_pediatric", None, U,
     "Clinic starting list (§3 Spasticity, pediatric)", "Doses blank (per kg); side from the plan.",
     [(muscle, "left", None) for muscle in UPPER_LIMB_MUSCLES]),
    ("Lower-limb spasticity (pediatric): muscle list", "lower_limb_spasticity_pediatric", None, U,
     "Clinic starting list (§3 Spasticity, pediatric)", "Doses blank (per kg); side from the plan.",
     [(muscle, "left", None) for muscle in LOWER_LIMB_MUSCLES]),
]

SPASTICITY = ["upper_limb_spasticity_adult", "lower_limb_spasticity_adult", "upper_limb_spasticity_pediatric",
              "lower_limb_spasticity_pediatric"]
# (code, name, kind, severity, product, indication, muscle, population, limit U, limit U/kg, window days,
#  confidence, source)
DOSE_RULES = [
    # 84 days, not 90: the label says "400 units in a 3 month interval" (V) and payers write "400 units
    # every 84 days" (S). 84 days is the 12-week cycle every indication here uses, so a patient on a
    # standard 12-weekly cycle is not blocked each visit, while two doses 83 days apart are summed.
    ("botox_adult_cumulative_400u_84d", "Botox adults: ≤400 U cumulative in any 84-day window, all indications",
     "cumulative_window", "hard", "botox", None, None, "adult", Decimal("400"), None, 84, V,
     "§2 onabotulinumtoxinA adults: 'should not exceed 400 units in a 3 month interval' (V); "
     "'400 units every 84 days' (S)"),
    # Pediatric: the numbers are S and the exact label wording is U, and we keep this as
    # configuration: a warning (a written reason is needed to proceed) that a manager may make hard.
    ("botox_pediatric_cumulative_10ukg_340u_84d",
     "Botox pediatric: ≤ lower of 10 U/kg or 340 U cumulative in any 84-day window",
     "cumulative_window", "warning", "botox", None, None, "pediatric", Decimal("340"), Decimal("10"), 84, S,
     "§2 Pediatric: lower of 10 U/kg or 340 U per 3 months (S; exact PI wording U): configuration"),
    ("xeomin_400u_per_session", "Xeomin: ≤400 U in one treatment session, any indication",
     "per_session", "hard", "xeomin", None, None, "any", Decimal("400"), None, None, V,
     "§2 Xeomin: 'maximum cumulative dose for any indication should not exceed 400 Units in a treatment "
     "session' (V)"),
    ("botox_blepharospasm_200u_30d", "Botox blepharospasm: ≤200 U cumulative in any 30-day period",
     "cumulative_window", "hard", "botox", "blepharospasm", None, "any", Decimal("200"), None, 30, V,
     "§3 Blepharospasm: 'cumulative dose … in a 30-day period should not exceed 200 Units' (V)"),
    ("botox_strabismus_25u_per_injection", "Botox strabismus: ≤25 U in a single injection",
     "per_site", "hard", "botox", "strabismus", None, "any", Decimal("25"), None, None, V,
     "§3 Strabismus: max 25 U single injection (V)"),
    ("botox_cervical_dystonia_50u_per_site", "Botox cervical dystonia: ≤50 U per site",
     "per_site", "warning", "botox", "cervical_dystonia", None, "any", Decimal("50"), None, None, S,
     "§3 Cervical dystonia: ≤50 U/site (S)"),
    # "Limiting the total dose injected into the sternocleidomastoid" (dysphagia): summed over every
    # SCM site, both sides, the cautious reading; it is a warning.
    ("botox_cervical_dystonia_scm_100u", "Botox cervical dystonia: ≤100 U in the sternocleidomastoid",
     "per_muscle", "warning", "botox", "cervical_dystonia", "Sternocleidomastoid", "any", Decimal("100"), None,
     None, S, "§3 Cervical dystonia: SCM ≤100 U to reduce dysphagia"),
    ("botox_blepharospasm_5u_per_site", "Botox blepharospasm: little benefit above 5 U per site",
     "per_site", "warning", "botox", "blepharospasm", None, "any", Decimal("5"), None, None, V,
     "§3 Blepharospasm: little benefit >5 U/site (V)"),
] + [
    (f"botox_{indication}_50u_per_site", "Botox spasticity: ≤50 U per site", "per_site", "hard", "botox",
     indication, None, "any", Decimal("50"), None, None, V,
     "§1 Botox dilution, spasticity PI quote: 'no more than 50 Units per site' (V)")
    for indication in SPASTICITY
]


def seed(apps, schema_editor):
    Indication = apps.get_model("treatments", "Indication")
    DiagnosisCode = apps.get_model("treatments", "DiagnosisCode")
    Product = apps.get_model("treatments", "Product")
    ProductVialSize = apps.get_model("treatments", "ProductVialSize")
    Muscle = apps.get_model("treatments", "Muscle")
    ProtocolTemplate = apps.get_model("treatments", "ProtocolTemplate")
    ProtocolSite = apps.get_model("treatments", "ProtocolSite")
    DoseRule = apps.get_model("treatments", "DoseRule")

    indications = {}
    for order, (code, name, population, cpt, by_limb, cycle, interval, scales, conf, source) in enumerate(INDICATIONS):
        indications[code], _ = Indication.objects.get_or_create(code=code, defaults={
            "name": name, "population": population, "cpt_codes": cpt, "bills_by_limb": by_limb,
            "default_cycle_weeks": cycle, "minimum_interval_weeks": interval,
            "outcome_scales": scales + QOL_SCALES, "confidence": conf, "source": source, "sort_order": order,
        })
    for indication_code, (source, codes) in DIAGNOSIS_CODES.items():
        for code, description, billable, conf in codes:
            DiagnosisCode.objects.get_or_create(indication=indications[indication_code], code=code, defaults={
                "description": description, "is_billable": billable, "confidence": conf, "source": source,
            })

    products = {}
    for (code, brand, generic, hcpcs, per_billing, ready, hours, active, conf, source, vials) in PRODUCTS:
        products[code], _ = Product.objects.get_or_create(code=code, defaults={
            "brand_name": brand, "generic_name": generic, "hcpcs_code": hcpcs, "units_per_billing_unit": per_billing,
            "is_ready_to_use_solution": ready, "use_within_hours": hours, "is_active": active,
            "confidence": conf, "source": source,
        })
        for units, volume, vial_conf in vials:
            ProductVialSize.objects.get_or_create(product=products[code], units=units, defaults={
                "volume_ml": volume, "confidence": vial_conf, "source": "§1 Products: US vials",
            })

    muscles = {}
    for name, region, paired in MUSCLES:
        muscles[name], _ = Muscle.objects.get_or_create(name=name, defaults={"region": region, "is_paired": paired})

    for name, indication_code, product_code, conf, source, description, sites in TEMPLATES:
        template, created = ProtocolTemplate.objects.get_or_create(name=name, defaults={
            "indication": indications[indication_code],
            "product": products[product_code] if product_code else None,
            "confidence": conf, "source": source, "description": description,
        })
        if created:
            ProtocolSite.objects.bulk_create([
                ProtocolSite(template=template, muscle=muscles[muscle], side=side, units=units, points=1, order=order)
                for order, (muscle, side, units) in enumerate(sites)
            ])

    for (code, name, kind, severity, product_code, indication_code, muscle, population, limit, per_kg, window,
         conf, source) in DOSE_RULES:
        DoseRule.objects.get_or_create(code=code, defaults={
            "name": name, "kind": kind, "severity": severity, "product": products[product_code],
            "indication": indications[indication_code] if indication_code else None,
            "muscle": muscles[muscle] if muscle else None, "population": population, "limit_units": limit,
            "limit_units_per_kg": per_kg, "window_days": window, "confidence": conf, "source": source,
        })


class Migration(migrations.Migration):
    dependencies = [("treatments", "0001_initial")]

    # Reversing leaves the rows: plans and sessions may already point at them.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
