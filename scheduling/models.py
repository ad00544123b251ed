# Appointments, rooms and clinicians' hours arrive with issue 4.
