"""US English as the clinic writes it: "Dec 2, 2026" and "9:10 AM".

Django's stock ``en`` formats are AP style ("Dec. 2, 2026", "9:10 a.m.", "noon"), which nobody
at a front desk writes. Names not set here fall back to Django's ``en`` locale.
See https://docs.djangoproject.com/en/5.2/ref/templates/builtins/#date for the letters.
"""

DATE_FORMAT = "M j, Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "M j, Y, g:i A"
SHORT_DATE_FORMAT = "m/d/Y"
SHORT_DATETIME_FORMAT = "m/d/Y g:i A"
MONTH_DAY_FORMAT = "D, M j"
YEAR_MONTH_FORMAT = "M Y"

# Not Django names: patients' emails spell the weekday out (read by clinic.formats.patient_long_*).
LONG_DATE_FORMAT = "l, F j, Y"
LONG_DATETIME_FORMAT = r"l, F j, Y \a\t g:i A"
