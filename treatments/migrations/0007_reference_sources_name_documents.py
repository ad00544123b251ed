"""Reword the ``source`` of the reference rows migration 0002 seeded so that each names the original
document (label copy, manufacturer HCP page, ICD-10-CM list, CMS contractor page) rather than a
section of a reference file that is not part of this repository. docs/clinical-rules.md lists the
same documents.

A row is rewritten only while it still holds the seeded text, so a manager's edits survive.
Data-only; the old texts are literals on purpose (a migration must not depend on code that changes).
"""

from django.db import migrations

_SPASTICITY_CODES = "ICD-10-CM spasticity causes as payers and coding sites list them; MS as G35.A–G35.D from FY2026"

# {natural key: (seeded text, original document)}
INDICATIONS = {
    "chronic_migraine": (
        "§3 Chronic migraine: every 12 weeks (S); §2 re-treatment: CM every 12 weeks (S); §5 scales",
        "PREEMPT protocol (drugs.com answer, healthline, coding sites): every 12 weeks (S); scales: headache-day "
        "diary (ICHD-3), MIDAS, HIT-6"),
    "cervical_dystonia": (
        "§3 Cervical dystonia: Dysport ≥12 wk (V); others ≥12 wk (U), so the 12-week minimum is clinic configuration",
        "DYSPORT label, cervical dystonia (drugs.com Dysport dosage): ≥12 wk (V); other products ≥12 wk is "
        "unverified (U), so the 12-week minimum is clinic configuration"),
    "upper_limb_spasticity_adult": (
        "§3 Upper-limb spasticity: ≥12 wk (Botox, Dysport, Xeomin); §2 spasticity 'generally no sooner than 12 "
        "weeks' (V)",
        "Dysport (dysporthcp.com), Xeomin (drugs.com) and BOTOX (botoxone.com: 'generally no sooner than 12 weeks') "
        "labels: ≥12 wk (V)"),
    "lower_limb_spasticity_adult": (
        "§3 Lower-limb spasticity: ≥12 wk; §2 spasticity 'generally no sooner than 12 weeks' (V)",
        "DYSPORT label (dysporthcp.com) and BOTOX spasticity wording (botoxone.com: 'generally no sooner than "
        "12 weeks'): ≥12 wk (V)"),
    "upper_limb_spasticity_pediatric": (
        "§3 Spasticity, pediatric: Botox ≥12 wk (V). Dysport pediatric upper limb is ≥16 wk (V, product-specific): "
        "set the plan's minimum interval to 16 weeks for a Dysport plan",
        "BOTOX pediatric spasticity (botoxone.com): ≥12 wk (V). DYSPORT pediatric upper limb (dysport.com HCP): "
        "≥16 wk (V): set a Dysport plan's minimum interval to 16 weeks"),
    "lower_limb_spasticity_pediatric": (
        "§3 Spasticity, pediatric: Botox ≥12 wk, Dysport LLS ≥12 wk (V)",
        "BOTOX pediatric spasticity (botoxone.com) and DYSPORT pediatric lower limb (dysport.com HCP): ≥12 wk (V)"),
    "blepharospasm": (
        "§3 Blepharospasm: ~3 months, tolerance if more often (V); 12 weeks is our reading of '~3 months'",
        "BOTOX label, blepharospasm (botoxone.com, drugs.com): ~3 months, tolerance if more often (V); 12 weeks "
        "is our reading of '~3 months'"),
    "strabismus": (
        "§3 Strabismus: no label cycle; re-examine 7–14 d, ~50 % need repeat (V). Cycle and minimum interval here "
        "are clinic configuration (U)",
        "BOTOX label, strabismus (botoxone.com, drugs.com): no cycle; re-examine 7–14 d, ~50 % need repeat (V). "
        "Cycle and minimum interval here are clinic configuration (U)"),
}
DIAGNOSIS_CODES = {  # by indication code
    "chronic_migraine": (
        "§3 Chronic migraine ICD-10-CM (V; G43.E- new FY2024)",
        "ICD-10-CM chronic migraine codes (ICD lists, icdlist.com, hccbuddy; G43.E- new in FY2024) (V)"),
    "cervical_dystonia": (
        "§3 Cervical dystonia ICD-10-CM",
        "ICD-10-CM G24.3 (ICD lists); M43.6 as Revance's DAXXIFY access page lists it"),
    "upper_limb_spasticity_adult": ("§3 Spasticity ICD-10-CM examples and ICD notes", _SPASTICITY_CODES),
    "lower_limb_spasticity_adult": ("§3 Spasticity ICD-10-CM examples and ICD notes", _SPASTICITY_CODES),
    "upper_limb_spasticity_pediatric": ("§3 Spasticity ICD-10-CM examples and ICD notes", _SPASTICITY_CODES),
    "lower_limb_spasticity_pediatric": ("§3 Spasticity ICD-10-CM examples and ICD notes", _SPASTICITY_CODES),
    "blepharospasm": (
        "§3 Blepharospasm ICD-10-CM",
        "ICD-10-CM G24.5 (ICD lists); hemifacial spasm G51.3 unverified"),
    "strabismus": (
        "§3 Strabismus: H49.- / H50.- (sub-codes U)",
        "ICD-10-CM H49.- / H50.- categories (V); the sub-codes are unverified (U)"),
}
PRODUCTS = {
    "botox": (
        "§1 Botox: J0585 = 1 U (V); give within 24 h of reconstitution, 2–8 °C (V)",
        "Allergan BOTOX Ordering and Storage Instructions; FCSO botulinum toxin page: J0585 = 1 U (V); give "
        "within 24 h of reconstitution, 2–8 °C (V)"),
    "dysport": (
        "§1 Dysport: J0586 = 5 U (V); within 24 h, 2–8 °C (S)",
        "drugs.com Dysport dosage (label copy); FCSO: J0586 = 5 U (V); within 24 h, 2–8 °C (S)"),
    "xeomin": (
        "§1 Xeomin: J0588 = 1 U (V); within 24 h, 2–8 °C (V)",
        "xeomin.com HCP reconstitution and storage; FCSO: J0588 = 1 U (V); within 24 h, 2–8 °C (V)"),
    "myobloc": (
        "§1 Myobloc: J0587 = 100 U (V); ready-to-use 5,000 U/mL; diluted use-by ~4 h (U: configuration)",
        "Myobloc PI copy (prescriberpoint), myobloc.com HCP; FCSO: J0587 = 100 U (V); 5,000 U/mL; diluted use-by "
        "~4 h (U: configuration)"),
    "daxxify": (
        "§1 Daxxify: J0589 = 1 U (V); 72 h after reconstitution (U: configuration)",
        "Revance Access DAXXIFY HCP page; Medscape: J0589 = 1 U (V); 72 h after reconstitution (U: configuration)"),
    "botox_cosmetic": (
        "§1 Botox Cosmetic: cosmetic, no HCPCS (billing U); 24 h (V)",
        "medicine.com Botox Cosmetic monograph: cosmetic, no HCPCS (billing U); 24 h (V)"),
    "jeuveau": (
        "§1 Jeuveau: glabellar lines only, no HCPCS; within 24 h (V)",
        "drugs.com Jeuveau dosage (label copy): glabellar lines only, no HCPCS; within 24 h (V)"),
}
VIAL_SIZES = ("§1 Products: US vials", "US vial sizes from each product's label copy or manufacturer HCP page")
TEMPLATE_SOURCES = {  # by template name
    "PREEMPT chronic migraine (155 U, 31 sites)": (
        "§3 Chronic migraine per-site table (PREEMPT, S)",
        "PREEMPT fixed-site protocol (drugs.com answer, healthline, coding sites) (S)"),
    "Blepharospasm (3 sites per eye)": (
        "§3 Blepharospasm: 1.25–2.5 U/site, 3 sites/eye (V)",
        "BOTOX label, blepharospasm (botoxone.com): 1.25–2.5 U/site, 3 sites/eye (V)"),
    "Cervical dystonia: muscle list": (
        "Clinic starting list; doses individualized (§3 Cervical dystonia)",
        "Clinic starting list; doses individualized (BOTOX cervical dystonia, botoxone.com)"),
    "Upper-limb spasticity (adult): muscle list": (
        "Clinic starting list (§3 Upper-limb spasticity)", "Clinic starting list (adult upper limb spasticity)"),
    "Lower-limb spasticity (adult): muscle list": (
        "Clinic starting list (§3 Lower-limb spasticity)", "Clinic starting list (adult lower limb spasticity)"),
    "Upper-limb spasticity (pediatric): muscle list": (
        "Clinic starting list (§3 Spasticity, pediatric)", "Clinic starting list (pediatric spasticity)"),
    "Lower-limb spasticity (pediatric): muscle list": (
        "Clinic starting list (§3 Spasticity, pediatric)", "Clinic starting list (pediatric spasticity)"),
}
PREEMPT_DESCRIPTION = (
    "31 fixed sites × 5 U (0.1 mL of 100 U + 2 mL), 30-G ½-in needle. Follow-the-pain up to 195 U is not in the "
    "template: its US-label status is unverified (§3, U).",
    "31 fixed sites × 5 U (0.1 mL of 100 U + 2 mL), 30-G ½-in needle. Follow-the-pain up to 195 U is not in the "
    "template: its US-label status is unverified (U).",
)


def reword(apps, schema_editor):
    Indication = apps.get_model("treatments", "Indication")
    DiagnosisCode = apps.get_model("treatments", "DiagnosisCode")
    Product = apps.get_model("treatments", "Product")
    ProductVialSize = apps.get_model("treatments", "ProductVialSize")
    ProtocolTemplate = apps.get_model("treatments", "ProtocolTemplate")

    for code, (seeded, source) in INDICATIONS.items():
        Indication.objects.filter(code=code, source=seeded).update(source=source)
    for code, (seeded, source) in DIAGNOSIS_CODES.items():
        DiagnosisCode.objects.filter(indication__code=code, source=seeded).update(source=source)
    for code, (seeded, source) in PRODUCTS.items():
        Product.objects.filter(code=code, source=seeded).update(source=source)
    ProductVialSize.objects.filter(source=VIAL_SIZES[0]).update(source=VIAL_SIZES[1])
    for name, (seeded, source) in TEMPLATE_SOURCES.items():
        ProtocolTemplate.objects.filter(name=name, source=seeded).update(source=source)
    ProtocolTemplate.objects.filter(description=PREEMPT_DESCRIPTION[0]).update(description=PREEMPT_DESCRIPTION[1])


class Migration(migrations.Migration):
    dependencies = [("treatments", "0006_plan_stored_next_due")]

    # Reversing leaves the new wording: it names the same documents.
    operations = [migrations.RunPython(reword, migrations.RunPython.noop)]
