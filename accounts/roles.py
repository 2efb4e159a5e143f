"""The names of the two working groups.

Each domain app grants its permissions to them in its own data migration, so that
no app has to know the others and the groups grow with the apps that exist.
"""

CLERKS = "Geschäftsstelle"
HR = "Personalamt"
