# Here, not in urls.py, so that benchmark/settings.py can read it before Django
# is set up.
BASE_VIEW_PATH = "/benchmark-basis/"
