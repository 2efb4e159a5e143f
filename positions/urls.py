app_name = "positions"

urlpatterns = []
