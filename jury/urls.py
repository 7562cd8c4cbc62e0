"""URLs of the jury app."""
app_name = "jury"
urlpatterns = []
