#!/usr/bin/env python3
"""Writes the benchmark GitOps repository (the shape of GitopsBench's): 1,000 components in 20 projects, the OpenChoreo
sample's platform resources (3 environments), one Component and one Workload per component.
Usage: bench/gitops-repo.py DIR SAMPLE_PLATFORM_DIR
   or: bench/gitops-repo.py --fast-import DIR COMMITS   (prints a git fast-import stream: commit 1 holds DIR's files,
       commits 2..COMMITS each bump one Workload's image tag, so the history has COMMITS commits and real deltas)"""
import os, sys

def write(root, rel, text):
    p = os.path.join(root, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w") as f:
        f.write(text)

def base(root, platform):
    for f in ["component-types/service.yaml", "component-types/database.yaml", "traits/persistent-volume.yaml",
              "infra/deployment-pipelines/standard.yaml", "infra/environments/development.yaml",
              "infra/environments/staging.yaml", "infra/environments/production.yaml"]:
        write(root, "namespaces/default/platform/" + f, open(os.path.join(platform, f)).read())
    for p in range(20):
        proj = f"proj-{p}"
        write(root, f"namespaces/default/projects/{proj}/project.yaml",
              f"apiVersion: openchoreo.dev/v1alpha1\nkind: Project\nmetadata:\n  name: {proj}\n  namespace: default\n"
              "spec:\n  deploymentPipelineRef:\n    name: standard\n")
        for c in range(50):
            comp = f"svc-{p}-{c}"
            d = f"namespaces/default/projects/{proj}/components/{comp}/"
            write(root, d + "component.yaml",
                  f"apiVersion: openchoreo.dev/v1alpha1\nkind: Component\nmetadata:\n  name: {comp}\n  namespace: default\n"
                  f"spec:\n  owner:\n    projectName: {proj}\n  componentType:\n    name: deployment/service\n"
                  "    kind: ComponentType\n  parameters:\n    exposed: true\n    replicas: 1\n    port: 8080\n")
            write(root, d + "workload.yaml", workload(proj, comp, "v1"))

def workload(proj, comp, tag):
    return (f"apiVersion: openchoreo.dev/v1alpha1\nkind: Workload\nmetadata:\n  name: {comp}-workload\n"
            f"  namespace: default\nspec:\n  container:\n    env:\n    - key: A\n      value: b\n"
            f"    image: reg.example/{comp}:{tag}\n  endpoints:\n    http:\n      port: 8080\n      type: HTTP\n"
            f"      visibility:\n      - external\n  owner:\n    componentName: {comp}\n    projectName: {proj}\n")

def fast_import(root, commits):
    out = sys.stdout.buffer
    files = []
    for d, _, fs in os.walk(root):
        if "/.git" in d or d.endswith(".git"):
            continue
        for f in fs:
            files.append(os.path.relpath(os.path.join(d, f), root))
    files.sort()
    def data(b):
        out.write(b"data %d\n" % len(b)); out.write(b); out.write(b"\n")
    t = 1767225600
    out.write(b"commit refs/heads/main\nmark :1\ncommitter Bench <bench@localhost> %d +0000\n" % t)
    data(b"initial GitOps repository")
    for f in files:
        out.write(b"M 100644 inline %s\n" % f.encode())
        data(open(os.path.join(root, f), "rb").read())
    for i in range(2, commits + 1):
        p, c = (i // 50) % 20, i % 50
        proj, comp = f"proj-{p}", f"svc-{p}-{c}"
        out.write(b"commit refs/heads/main\nmark :%d\ncommitter Bench <bench@localhost> %d +0000\n" % (i, t + i))
        data(b"bump %s" % comp.encode())
        out.write(b"from :%d\n" % (i - 1))
        tag = "v1" if i > commits - 1000 else f"v{i}"   # the last 1,000 commits restore v1: the tip is the base tree
        out.write(b"M 100644 inline namespaces/default/projects/%s/components/%s/workload.yaml\n" % (proj.encode(), comp.encode()))
        data(workload(proj, comp, tag).encode())
    out.write(b"done\n")

if sys.argv[1] == "--fast-import":
    fast_import(sys.argv[2], int(sys.argv[3]))
else:
    base(sys.argv[1], sys.argv[2])
