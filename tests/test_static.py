from django.core.management import call_command


def test_collectstatic_builds_a_manifest_of_the_compiled_styles(settings, tmp_path):
    # What a deployment runs: hashed names, with every url() inside the CSS resolved.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    names = {path.name for path in tmp_path.iterdir()}
    assert "staticfiles.json" in names
    assert any(
        name.startswith("app.") and name.endswith(".css") for name in names if name != "app.css"
    )
    assert "govuk-frontend.min.js" in names
    css = (tmp_path / "app.css").read_text()
    assert "GDS Transport" not in css
    assert "font-family:arial,sans-serif" in css
