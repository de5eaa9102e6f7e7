"""The contract reader: every source file of the project, default schemas
from the jinja `var()` defaults, and clear errors for a broken file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cdp.contract import TRUTH_SOURCE, ContractError, landing_specs, load_contract


def _write_sources(root: Path, name: str, document: dict) -> None:
    folder = root / "models" / "staging" / name
    folder.mkdir(parents=True)
    (folder / f"_{name}__sources.yml").write_text(yaml.safe_dump(document))


def test_the_project_contract_has_every_source_and_table() -> None:
    contract = load_contract()
    assert set(contract) == {
        "crm",
        "tracking",
        "esp",
        "shop",
        "offline",
        "consent",
        "privacy",
        "media",
    }
    assert sum(len(spec.tables) for spec in contract.values()) == 29
    for name, spec in contract.items():
        assert spec.schema == f"raw_{name}"
        for table, columns in spec.tables.items():
            assert columns, f"{name}.{table} has columns"
            assert len(set(columns)) == len(columns)


def test_columns_keep_the_order_of_the_yaml() -> None:
    contacts = load_contract()["crm"].tables["contacts"]
    assert contacts[:3] == ["contact_id", "account_id", "first_name"]
    assert contacts[-1] == "_loaded_at"
    assert load_contract()["tracking"].tables["pages"][-1] == "received_at"


def test_the_schema_default_comes_from_the_var_call(tmp_path: Path) -> None:
    _write_sources(
        tmp_path,
        "crm",
        {
            "version": 2,
            "sources": [
                {
                    "name": "crm",
                    "schema": "{{ var('cdp_crm_schema', 'landing_crm') }}",
                    "tables": [
                        {"name": "accounts", "columns": [{"name": "account_id"}]}
                    ],
                }
            ],
        },
    )
    spec = load_contract(tmp_path)["crm"]
    assert spec.schema == "landing_crm"
    assert spec.tables == {"accounts": ["account_id"]}


def test_a_schema_without_default_is_rejected_with_the_fix(tmp_path: Path) -> None:
    _write_sources(
        tmp_path,
        "crm",
        {
            "version": 2,
            "sources": [
                {
                    "name": "crm",
                    "schema": "{{ target.schema }}",
                    "tables": [
                        {"name": "accounts", "columns": [{"name": "account_id"}]}
                    ],
                }
            ],
        },
    )
    with pytest.raises(ContractError, match=r"_crm__sources.yml.*var\('cdp_<source>"):
        load_contract(tmp_path)


def test_a_table_without_columns_is_rejected(tmp_path: Path) -> None:
    _write_sources(
        tmp_path,
        "crm",
        {
            "version": 2,
            "sources": [
                {
                    "name": "crm",
                    "schema": "raw_crm",
                    "tables": [{"name": "accounts"}],
                }
            ],
        },
    )
    with pytest.raises(ContractError, match=r"crm\.accounts lists no columns"):
        load_contract(tmp_path)


def test_no_sources_files_names_the_folder(tmp_path: Path) -> None:
    with pytest.raises(ContractError, match=str(tmp_path)):
        load_contract(tmp_path)


def test_the_ground_truth_is_landed_beside_the_contract() -> None:
    specs = landing_specs()
    assert specs[-1] == TRUTH_SOURCE
    assert TRUTH_SOURCE.schema == "raw_truth"
    assert TRUTH_SOURCE.tables["person_identifiers"] == [
        "person_key",
        "identifier_type",
        "identifier_value",
    ]
