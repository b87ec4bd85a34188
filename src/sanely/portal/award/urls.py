app_name = "award"

urlpatterns: list[object] = []
