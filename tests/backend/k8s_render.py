"""A renderer for the part of kustomize that deploy/k8s uses, so the tests need no kubectl.

Supported: `resources` (files and directories with their own kustomization), `namespace`,
`images` (newName / newTag / digest), `secretGenerator` from `envs` files with
`generatorOptions.disableNameSuffixHash: true`, and `patches` that are JSON 6902 operation
lists (add, replace, remove) with a `target` of kind and optional name. Anything else in a
kustomization is refused, so the manifests cannot drift beyond what this renders.
`tests/backend/test_k8s.py` compares its output with `kubectl kustomize` where kubectl exists.
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

KEYS = {
    "apiVersion",
    "kind",
    "resources",
    "namespace",
    "images",
    "secretGenerator",
    "generatorOptions",
    "patches",
}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "IngressClass", "StorageClass"}


class UnsupportedKustomization(ValueError):
    pass


def render(directory: Path, env_files: Mapping[str, Path] | None = None) -> list[dict[str, Any]]:
    """The objects `kubectl kustomize directory` prints. `env_files` stands in for generator
    files by their name in the kustomization (the example of a git-ignored secrets file)."""
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text())
    unknown = set(kustomization) - KEYS
    if unknown:
        raise UnsupportedKustomization(f"{directory}: {sorted(unknown)}")
    objects: list[dict[str, Any]] = []
    for entry in kustomization.get("resources", []):
        path = directory / entry
        if path.is_dir():
            objects += render(path, env_files)
        else:
            objects += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    objects += _secrets(directory, kustomization, env_files or {})
    for patch in kustomization.get("patches", []):
        _patch(directory, objects, patch)
    for image in kustomization.get("images", []):
        for container in _containers(objects):
            _set_image(container, image)
    namespace = kustomization.get("namespace")
    if namespace:
        for obj in objects:
            if obj["kind"] not in CLUSTER_SCOPED:
                obj["metadata"]["namespace"] = namespace
    return objects


def _secrets(
    directory: Path, kustomization: dict[str, Any], env_files: Mapping[str, Path]
) -> list[dict[str, Any]]:
    generators = kustomization.get("secretGenerator", [])
    options = kustomization.get("generatorOptions", {})
    if generators and options != {"disableNameSuffixHash": True}:
        raise UnsupportedKustomization("generated names need disableNameSuffixHash: true")
    secrets = []
    for generator in generators:
        if set(generator) - {"name", "envs", "type"}:
            raise UnsupportedKustomization(f"secretGenerator: {sorted(generator)}")
        data: dict[str, str] = {}
        for name in generator["envs"]:
            text = (env_files.get(name) or directory / name).read_text()
            for line in text.splitlines():
                line = line.strip()
                if line and not line.startswith("#"):
                    key, _, value = line.partition("=")
                    data[key] = base64.b64encode(value.encode()).decode()
        secrets.append(
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": generator["name"]},
                "type": generator.get("type", "Opaque"),
                "data": data,
            }
        )
    return secrets


def _patch(directory: Path, objects: list[dict[str, Any]], patch: dict[str, Any]) -> None:
    target = patch.get("target", {})
    if set(patch) != {"path", "target"} or set(target) - {"kind", "name"}:
        raise UnsupportedKustomization(f"patch: {patch}")
    operations = yaml.safe_load((directory / patch["path"]).read_text())
    if not isinstance(operations, list):
        raise UnsupportedKustomization(f"{patch['path']}: only JSON 6902 operation lists")
    matched = [
        obj
        for obj in objects
        if obj["kind"] == target["kind"]
        and target.get("name", obj["metadata"]["name"]) == obj["metadata"]["name"]
    ]
    if not matched:
        raise UnsupportedKustomization(f"patch {patch['path']} matches nothing")
    for obj in matched:
        for operation in operations:
            _apply(obj, operation)


def _apply(obj: dict[str, Any], operation: dict[str, Any]) -> None:
    op, path = operation["op"], operation["path"]
    parts = [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]]
    parent: Any = obj
    for part in parts[:-1]:
        parent = parent[int(part)] if isinstance(parent, list) else parent[part]
    last = parts[-1]
    value = copy.deepcopy(operation.get("value"))
    if isinstance(parent, list):
        index = len(parent) if last == "-" else int(last)
        exists = index < len(parent)
    else:
        exists = last in parent
    if op in {"replace", "remove"} and not exists:
        raise UnsupportedKustomization(f"{op} {path}: no such member")
    if op == "add" and isinstance(parent, list):
        parent.insert(index, value)
    elif op in {"add", "replace"}:
        parent[index if isinstance(parent, list) else last] = value
    elif op == "remove":
        del parent[index if isinstance(parent, list) else last]
    else:
        raise UnsupportedKustomization(f"op {op}")


def pod_specs(objects: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(object, its pod spec) for every Deployment, StatefulSet, DaemonSet and Job."""
    for obj in objects:
        if obj["kind"] in {"Deployment", "StatefulSet", "DaemonSet", "Job"}:
            yield obj, obj["spec"]["template"]["spec"]


def _containers(objects: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for _, spec in pod_specs(objects):
        yield from spec.get("initContainers", [])
        yield from spec["containers"]


def _set_image(container: dict[str, Any], image: dict[str, Any]) -> None:
    current = container["image"]
    name = current.split("@", 1)[0]
    if ":" in name.rsplit("/", 1)[-1]:
        name = name.rsplit(":", 1)[0]
    if name != image["name"]:
        return
    new = image.get("newName", name)
    if "digest" in image:
        new += "@" + image["digest"]
    elif "newTag" in image:
        new += ":" + str(image["newTag"])
    container["image"] = new
