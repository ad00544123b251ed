"""Spanish for patients' emails and SMS: Django's ``es`` locale, plus the names below.

The month-and-day goes in SMS: "2 dic" keeps to the GSM 7-bit alphabet and a few characters
(Django's "2 de diciembre" is three times as long).
"""

MONTH_DAY_FORMAT = "j b"

# Not Django names: patients' emails spell the weekday out (read by clinic.formats.patient_long_*).
LONG_DATE_FORMAT = r"l j \d\e F \d\e Y"
LONG_DATETIME_FORMAT = r"l j \d\e F \d\e Y \a \l\a\s H:i"
