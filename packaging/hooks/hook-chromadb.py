"""Chroma picks its implementations by name at run time (`chromadb.config.Settings` holds class
paths as strings), so PyInstaller cannot see them. These are the ones an embedded
`PersistentClient` and an `HttpClient` load, found by running the frozen app."""

from PyInstaller.utils.hooks import collect_data_files

hiddenimports = [
    "chromadb.api.rust",  # chroma_api_impl: the embedded (Rust) client
    "chromadb.api.fastapi",  # HttpClient, for --chroma-url
    "chromadb.telemetry.product.posthog",  # chroma_product_telemetry_impl (disabled, but loaded)
    "chromadb_rust_bindings",
]

# SQL migrations read with importlib_resources; nothing from the tests.
datas = collect_data_files("chromadb", excludes=["test/**", "experimental/**"])
