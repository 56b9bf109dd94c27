#!/usr/bin/env bash
# A live Jenkins controller with the plugin, against the project's real test parts, end to end:
#   1. starts the fixtures (testinfra.LiveFixtures, one JVM): docker-registry dev (plain HTTP) and staging (htpasswd),
#      the JGit HTTP server (basic auth) with a GitOps repository, WireMock as the GitHub API, the fabric8 Kubernetes
#      mock (CRUD) and a stand-in GitOps controller (what Argo CD/Flux do: a pushed release branch becomes a Deployment
#      running the committed image, marked rolled out and ready);
#   2. starts jenkins.war in a fresh JENKINS_HOME with the resolved plugin closure + gitops-release, configured by
#      JCasC (security realm, canary credentials, the gitopsRelease global configuration pointing at the fixtures);
#   3. creates a Pipeline job (buildImage → openReleasePr → watchDeployment → promoteImage on examples/hello-web),
#      starts it through the REST API, checks the result through /api/json, that no canary reached the console log,
#      and takes headless-Chromium screenshots of the run's GitOps Release page and the job's Deployments page;
#   4. runs the same release through the CLI (the same four verbs) against the same fixtures and prints both times.
# Everything it starts binds 127.0.0.1 on free ports and is stopped on exit. Exit status: 0 only if every check
# passed; the last line is "jenkins-live: N passed, M failed".
#
# Needs (built beforehand; this script builds only the engine's test classes for the fixtures):
#   - the plugin with its resolved plugin closure, and the CLI, in one reactor (so the hpi bundles this checkout's
#     engine, not whatever engine SNAPSHOT another build last installed into ~/.m2):
#       ./mvnw -s "$JENKINS_REPO_DIR/settings.xml" -B -Pjenkins -pl engine,cli,plugin -am package -DskipTests
#     → plugin/target/gitops-release.hpi, plugin/target/test-classes/test-dependencies/*.hpi,
#       cli/target/gitops-release.jar
#   - $JENKINS_REPO_DIR (default ../shared/jenkins-repo) for jenkins-war 2.541.3; docker-registry, htpasswd,
#     chromium (screenshots), curl, git, python3 (JSON).
# Usage: bench/jenkins-live.sh   KEEP=1 keeps the temp directory; SCREENSHOTS=DIR (default docs/images; CI: a temp
#        directory); FIXTURES_TIMEOUT / JENKINS_TIMEOUT / PIPELINE_TIMEOUT in seconds (120 / 420 / 600).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JENKINS_REPO_DIR=${JENKINS_REPO_DIR:-$ROOT/../shared/jenkins-repo}
WAR=${WAR:-$JENKINS_REPO_DIR/org/jenkins-ci/main/jenkins-war/2.541.3/jenkins-war-2.541.3.war}
HPI=$ROOT/plugin/target/gitops-release.hpi
DEPS=$ROOT/plugin/target/test-classes/test-dependencies
CLI_JAR=$ROOT/cli/target/gitops-release.jar
SHOTS=${SCREENSHOTS:-$ROOT/docs/images}
JOB=hello-web-release

PASSED=0
FAILED=0
PIDS=()
W=$(mktemp -d /tmp/jenkins-live.XXXXXX)

ok() { PASSED=$((PASSED + 1)); echo "  ok   $*"; }
bad() { FAILED=$((FAILED + 1)); echo "  FAIL $*"; }
check() { # check "what" command...
    local what=$1; shift
    if "$@" >>"$W/checks.log" 2>&1; then ok "$what"; else bad "$what"; fi
}
now_ms() { date +%s%3N; }

cleanup() {
    local code=$?
    set +e
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        kill "${PIDS[$i]}" 2>/dev/null
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null
    done
    exec 7>&- 2>/dev/null
    if [[ ${KEEP:-0} == 1 ]]; then echo "kept $W"; else rm -rf "$W"; fi
    if [[ $code -ne 0 && $FAILED -eq 0 ]]; then FAILED=1; fi
    echo "jenkins-live: $PASSED passed, $FAILED failed"
    if [[ $FAILED -gt 0 ]]; then exit 1; fi
    exit 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { bad "$*"; exit 1; }

# ---------------------------------------------------------------- prerequisites
[[ -f $WAR ]] || die "no Jenkins war at $WAR (set JENKINS_REPO_DIR)"
[[ -f $HPI ]] || die "no $HPI: build it with ./mvnw -s \$JENKINS_REPO_DIR/settings.xml -B -Pjenkins -pl engine,cli,plugin -am package -DskipTests"
compgen -G "$DEPS/*.hpi" >/dev/null || die "no resolved plugins in $DEPS: run the -Pjenkins package build above"
[[ -f $CLI_JAR ]] || die "no $CLI_JAR: build it with the command above"
for tool in docker-registry htpasswd curl git python3 chromium; do
    command -v $tool >/dev/null || die "$tool is not installed (bash .ci/run installs it)"
done

# The fixtures are the engine's test classes; compile them (a no-op when up to date) and get their classpath.
./mvnw -q -B -pl engine test-compile
./mvnw -q -B -pl engine dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$W/cp.txt" >/dev/null
FIXTURE_CP="$ROOT/engine/target/test-classes:$ROOT/engine/target/classes:$(cat "$W/cp.txt")"

# ---------------------------------------------------------------- canaries: every secret is unique and searched for
rnd() { head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
export LIVE_STAGING_PASSWORD="canary-live-STG-$(rnd)"
export LIVE_GIT_PASSWORD="canary-live-GIT-$(rnd)"
FORGE_TOKEN="canary-live-GH-$(rnd)"
KUBE_TOKEN="canary-live-KUBE-$(rnd)"
ADMIN_PASSWORD="canary-live-ADMIN-$(rnd)"
export LIVE_ENVIRONMENTS="development=shop-development,staging=shop-staging"

# ---------------------------------------------------------------- fixtures
echo "== fixtures"
mkfifo "$W/fixtures.in"
java -Dorg.slf4j.simpleLogger.log.io.vertx=error -cp "$FIXTURE_CP" io.jenkins.plugins.gitopsrelease.testinfra.LiveFixtures "$W/fixtures.env" "$ROOT/examples" \
    <"$W/fixtures.in" >"$W/fixtures.log" 2>&1 &
PIDS+=($!)
exec 7>"$W/fixtures.in" # held open: if this script dies, the fixtures see EOF and stop
deadline=$((SECONDS + ${FIXTURES_TIMEOUT:-120}))
while ((SECONDS < deadline)); do [[ -f $W/fixtures.env ]] && break; kill -0 "${PIDS[0]}" 2>/dev/null || break; sleep 0.1; done
[[ -f $W/fixtures.env ]] || { cat "$W/fixtures.log"; die "the fixtures did not start"; }
# shellcheck disable=SC1091
source "$W/fixtures.env"
echo "dev registry $DEV_REGISTRY, staging registry $STAGING_REGISTRY, git $GIT_URL, GitHub API $FORGE_URL, kube $KUBE_URL"

# ---------------------------------------------------------------- Jenkins home: plugins + JCasC
echo "== jenkins"
export JENKINS_HOME=$W/home
mkdir -p "$JENKINS_HOME/plugins"
for p in "$DEPS"/*.hpi "$DEPS"/*.jpi; do
    [[ -f $p ]] || continue
    n=$(basename "$p"); cp "$p" "$JENKINS_HOME/plugins/${n%.*}.jpi"
done
cp "$HPI" "$JENKINS_HOME/plugins/gitops-release.jpi"
PLUGIN_COUNT=$(ls "$JENKINS_HOME/plugins" | wc -l)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
JENKINS_URL="http://127.0.0.1:$PORT"

# YAML double-quoted strings: the canaries are [a-zA-Z0-9-] only, URLs have no quotes.
cat >"$W/casc.yaml" <<EOF
jenkins:
  systemMessage: "GitOps Release live controller (bench/jenkins-live.sh)"
  numExecutors: 2
  mode: NORMAL
  securityRealm:
    local:
      allowsSignup: false
      users:
        - id: "admin"
          password: "$ADMIN_PASSWORD"
  authorizationStrategy:
    loggedInUsersCanDoAnything:
      allowAnonymousRead: true
unclassified:
  location:
    url: "$JENKINS_URL/"
  gitopsRelease:
    repositoryUrl: "$GIT_URL"
    baseBranch: "main"
    gitCredentialsId: "gitops-push"
    namespace: "default"
    forge: "github"
    forgeUrl: "$FORGE_URL"
    forgeCredentialsId: "github-token"
    branchStyle: "release-name"
    componentLinkTemplate: "https://console.example.com/{namespace}/{project}/{component}?env={environment}"
    environments:
      - name: "development"
        registry: "$DEV_REGISTRY/dev"
        namespace: "shop-development"
        watchKind: "deployment"
        kubeServerUrl: "$KUBE_URL"
        kubeCredentialsId: "kube-token"
      - name: "staging"
        registry: "$STAGING_REGISTRY/staging"
        registryCredentialsId: "registry-staging"
        namespace: "shop-staging"
        watchKind: "deployment"
        kubeServerUrl: "$KUBE_URL"
        kubeCredentialsId: "kube-token"
credentials:
  system:
    domainCredentials:
      - credentials:
          - usernamePassword:
              scope: GLOBAL
              id: "registry-staging"
              username: "$STAGING_USER"
              password: "$LIVE_STAGING_PASSWORD"
          - usernamePassword:
              scope: GLOBAL
              id: "gitops-push"
              username: "$GIT_USER"
              password: "$LIVE_GIT_PASSWORD"
          - string:
              scope: GLOBAL
              id: "github-token"
              secret: "$FORGE_TOKEN"
          - string:
              scope: GLOBAL
              id: "kube-token"
              secret: "$KUBE_TOKEN"
EOF
chmod 600 "$W/casc.yaml"

T_JENKINS=$(now_ms)
CASC_JENKINS_CONFIG=$W/casc.yaml java -Xmx1g -Djava.awt.headless=true \
    -Djenkins.install.runSetupWizard=false -Dhudson.model.UpdateCenter.never=true \
    -Dhudson.model.DownloadService.never=true \
    -jar "$WAR" --httpListenAddress=127.0.0.1 --httpPort="$PORT" >"$W/jenkins.log" 2>&1 &
PIDS+=($!)
JENKINS_PID=$!

# REST calls: credentials go to curl through a config on a pipe, never on its command line.
AUTH="admin:$ADMIN_PASSWORD"
jcurl() { curl -gsS -K <(printf 'user = "%s"\n' "$AUTH") "$@"; }
up=0
deadline=$((SECONDS + ${JENKINS_TIMEOUT:-420})) # a loaded 2-core machine took up to 145 s
while ((SECONDS < deadline)); do
    kill -0 $JENKINS_PID 2>/dev/null || break
    code=$(jcurl -o /dev/null -w '%{http_code}' "$JENKINS_URL/api/json" 2>/dev/null || true)
    if [[ $code == 200 ]]; then up=1; break; fi
    sleep 0.1
done
T_UP=$(now_ms)
[[ $up == 1 ]] || { tail -50 "$W/jenkins.log"; die "Jenkins did not come up on $JENKINS_URL"; }
STARTUP_MS=$((T_UP - T_JENKINS))
echo "Jenkins up in $STARTUP_MS ms ($PLUGIN_COUNT plugins) on $JENKINS_URL"

# Plugin load: from "Listed all plugins" to "Started all plugins" in the log (Jenkins' own reactor milestones).
log_ms() { # the timestamp of the first log line containing $1, in epoch ms
    grep -m1 -F "$1" "$W/jenkins.log" | python3 -c '
import sys, datetime
line = sys.stdin.readline()
if not line: sys.exit(1)
ts = line[:28]
for fmt in ("%Y-%m-%d %H:%M:%S.%f%z",):
    print(int(datetime.datetime.strptime(ts, fmt).timestamp() * 1000))'
}
T_INIT=$(log_ms "Started initialization" || echo "")
T_LISTED=$(log_ms "Listed all plugins" || echo "")
T_STARTED=$(log_ms "Started all plugins" || echo "")
T_READY=$(log_ms "Jenkins is fully up and running" || echo "")
span() { [[ -n $1 && -n $2 ]] && echo $(($2 - $1)) || echo "?"; }
PLUGIN_LOAD_MS=$(span "$T_LISTED" "$T_STARTED")
INIT_MS=$(span "$T_INIT" "$T_READY")

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }

jcurl "$JENKINS_URL/pluginManager/api/json?depth=1&tree=plugins[shortName,active,enabled,version]" >"$W/plugins.json"
check "gitops-release plugin active" \
    grep -q True <(json '[p["active"] for p in d["plugins"] if p["shortName"]=="gitops-release"]' <"$W/plugins.json")
check "every plugin active ($PLUGIN_COUNT)" \
    test "$(json 'sum(1 for p in d["plugins"] if p["active"])' <"$W/plugins.json")" = "$PLUGIN_COUNT"
check "no SEVERE/failed plugin in the log" bash -c "! grep -E 'SEVERE|Failed Loading plugin|LinkageError|ClassNotFound' '$W/jenkins.log'"

# An API token for the admin (a crumb with the session cookie is needed only for this one call).
CRUMB=$(jcurl -c "$W/cookies" "$JENKINS_URL/crumbIssuer/api/json" | json 'd["crumbRequestField"]+":"+d["crumb"]')
TOKEN=$(jcurl -b "$W/cookies" -H "$CRUMB" -X POST \
    "$JENKINS_URL/me/descriptorByName/jenkins.security.ApiTokenProperty/generateNewToken?newTokenName=live" \
    | json 'd["data"]["tokenValue"]')
[[ -n $TOKEN ]] || die "no API token"
AUTH="admin:$TOKEN"

check "global configuration imported by JCasC" grep -q "$GIT_URL" "$JENKINS_HOME/io.jenkins.plugins.gitopsrelease.GitOpsReleaseConfiguration.xml"
code=$(jcurl -o "$W/configure.html" -w '%{http_code}' "$JENKINS_URL/manage/configure")
check "/manage/configure renders (HTTP $code) with the GitOps Release section" \
    bash -c "[[ $code == 200 ]] && grep -q 'GitOps' '$W/configure.html' && ! grep -q 'org.apache.commons.jelly' '$W/configure.html'"

# ---------------------------------------------------------------- the job: the example in its workspace
WS=$JENKINS_HOME/workspace/$JOB
mkdir -p "$WS"
cp -r "$ROOT/examples/hello-web/." "$WS/"
git -C "$WS" init -q -b main
git -C "$WS" -c user.name=live -c user.email=live@example.invalid add -A
git -C "$WS" -c user.name=live -c user.email=live@example.invalid commit -q -m "hello-web (jenkins-live)"
REV=$(git -C "$WS" rev-parse HEAD)
TAG=${REV:0:8}

cat >"$W/Jenkinsfile" <<EOF
node {
  // the example was copied into this workspace (a git checkout at $TAG) by bench/jenkins-live.sh
  long t0 = new Date().getTime()
  def built = buildImage image: '$DEV_REGISTRY/dev/hello-web:$TAG', context: '.', builder: 'jib',
                         insecureRegistries: '$DEV_REGISTRY'
  long t1 = new Date().getTime()
  echo "built \${built.image}"
  def pr = openReleasePr project: 'shop', component: 'hello-web', image: built.image, revision: '$REV',
                         targetEnv: 'development'
  long t2 = new Date().getTime()
  echo "release \${pr.releaseName} on \${pr.branch}: \${pr.prUrl}"
  def w = watchDeployment component: 'hello-web', environment: 'development', image: built.image, timeout: 2
  long t3 = new Date().getTime()
  echo "development ready: \${w.state} after \${w.millisToReady} ms"
  def p = promoteImage buildResult: 'build_result.json', source: 'development', destination: 'staging',
                       insecureRegistries: '$DEV_REGISTRY, $STAGING_REGISTRY'
  long t4 = new Date().getTime()
  echo "promoted \${p.digest} to \${p.destination}"
  echo "step-times \${t1 - t0} \${t2 - t1} \${t3 - t2} \${t4 - t3}"
}
EOF
python3 - "$W/Jenkinsfile" >"$W/config.xml" <<'PY'
import sys
from xml.sax.saxutils import escape
script = open(sys.argv[1]).read()
print("""<?xml version='1.1' encoding='UTF-8'?>
<flow-definition plugin="workflow-job">
  <description>GitOps Release of examples/hello-web (bench/jenkins-live.sh)</description>
  <keepDependencies>false</keepDependencies>
  <definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition" plugin="workflow-cps">
    <script>%s</script>
    <sandbox>true</sandbox>
  </definition>
  <disabled>false</disabled>
</flow-definition>""" % escape(script))
PY
code=$(jcurl -o "$W/createItem.out" -w '%{http_code}' -X POST -H 'Content-Type: application/xml' \
    --data-binary @"$W/config.xml" "$JENKINS_URL/createItem?name=$JOB")
[[ $code == 200 ]] || { cat "$W/createItem.out"; die "createItem answered $code"; }
ok "Pipeline job created through POST /createItem"

# ---------------------------------------------------------------- run it through the REST API
echo "== pipeline"
T_TRIGGER=$(now_ms)
code=$(jcurl -o /dev/null -w '%{http_code}' -X POST "$JENKINS_URL/job/$JOB/build")
[[ $code == 201 ]] || die "POST /job/$JOB/build answered $code"
result=""
deadline=$((SECONDS + ${PIPELINE_TIMEOUT:-600}))
while ((SECONDS < deadline)); do
    result=$(jcurl "$JENKINS_URL/job/$JOB/1/api/json?tree=building,result" 2>/dev/null \
        | json '"" if d["building"] or d["result"] is None else d["result"]' 2>/dev/null || true)
    [[ -n $result ]] && break
    sleep 0.1
done
T_DONE=$(now_ms)
PIPELINE_MS=$((T_DONE - T_TRIGGER))
jcurl "$JENKINS_URL/job/$JOB/1/consoleText" >"$W/console.txt"
jcurl "$JENKINS_URL/job/$JOB/1/api/json?depth=1" >"$W/run.json"
BUILD_MS=$(json 'd["duration"]' <"$W/run.json")
echo "result $result; trigger → result $PIPELINE_MS ms (Jenkins' duration: $BUILD_MS ms)"
if [[ $result == SUCCESS ]]; then ok "run #1 SUCCESS"; else bad "run #1 $result"; sed 's/^/    | /' "$W/console.txt" | tail -40; fi

# The run's action, as Blue Ocean and other tools read it.
jcurl "$JENKINS_URL/job/$JOB/1/gitops-release/api/json?depth=2" >"$W/action.json" || true
DIGEST=$(json 'd.get("digest") or ""' <"$W/action.json" 2>/dev/null || true)
check "action: digest sha256:…" grep -Eq '^sha256:[0-9a-f]{64}$' <<<"$DIGEST"
check "action in the run's /api/json" grep -q '"_class":"io.jenkins.plugins.gitopsrelease.GitOpsReleaseAction"' "$W/run.json"
check "action: image in the dev registry" bash -c "grep -q '\"image\":\"$DEV_REGISTRY/dev/hello-web:$TAG@$DIGEST\"' '$W/action.json'"
check "action: pull request URL" bash -c "grep -q '\"pullRequestUrl\":\"https://github.example/git/gitops/pull/7\"' '$W/action.json'"
check "action: component and project" bash -c "grep -q '\"component\":\"hello-web\"' '$W/action.json' && grep -q '\"project\":\"shop\"' '$W/action.json'"
check "action: development DEPLOYED with the digest and the release" python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); e={x["name"]:x for x in d["environments"]}
assert e["development"]["state"]=="DEPLOYED" and e["development"]["digest"]==sys.argv[2], e
assert e["development"]["releaseName"]==d["releaseName"], e' "$W/action.json" "$DIGEST"
check "action: staging PROMOTED" python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); e={x["name"]:x for x in d["environments"]}
assert e["staging"]["state"]=="PROMOTED", e' "$W/action.json"
jcurl "$JENKINS_URL/job/$JOB/gitops-deployments/api/json?depth=2" >"$W/deployments.json" || true
check "job Deployments: development and staging from run #1" python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); e={x["name"]:x for x in d["environments"]}
assert set(e)=={"development","staging"} and all(x["runUrl"].endswith("/1/") for x in e.values()), e' "$W/deployments.json"

# What the parts saw: the digest in both registries, the Deployment rolled out, the PR opened with the token.
reg_digest() { # reg_digest BASEURL REPO TAG [user:password]
    curl -sS -o /dev/null -D - -K <(printf 'user = "%s"\n' "${4:-x:x}") -I \
        -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
        -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
        -H 'Accept: application/vnd.oci.image.index.v1+json' \
        "$1/v2/$2/manifests/$3" | tr -d '\r' | awk -F': ' 'tolower($1)=="docker-content-digest"{print $2}'
}
check "dev registry serves hello-web:$TAG at the digest" test "$(reg_digest "http://$DEV_REGISTRY" dev/hello-web "$TAG")" = "$DIGEST"
check "staging registry (auth) serves hello-web:$TAG at the same digest" \
    test "$(reg_digest "http://$STAGING_REGISTRY" staging/hello-web "$TAG" "$STAGING_USER:$LIVE_STAGING_PASSWORD")" = "$DIGEST"
check "the cluster runs the image (Deployment shop-development/hello-web)" bash -c \
    "curl -sS '${KUBE_URL}apis/apps/v1/namespaces/shop-development/deployments/hello-web' | grep -q '$DIGEST'"
PR_WITH_TOKEN=$(curl -sS -X POST -H 'Content-Type: application/json' "$FORGE_URL/__admin/requests/count" --data-binary @- <<EOF | json 'd["count"]'
{"method":"POST","urlPath":"/repos/git/gitops/pulls","headers":{"Authorization":{"contains":"$FORGE_TOKEN"}}}
EOF
)
check "GitHub API: one PR opened with the forge token" test "$PR_WITH_TOKEN" = 1
leaks=""
for c in "$LIVE_STAGING_PASSWORD" "$LIVE_GIT_PASSWORD" "$FORGE_TOKEN" "$KUBE_TOKEN" "$ADMIN_PASSWORD" "$TOKEN"; do
    for f in console.txt run.json action.json deployments.json; do
        grep -qF "$c" "$W/$f" && leaks+=" ${c%%-*[0-9a-f]}($f)"
    done
    grep -rqF "$c" "$WS" && leaks+=" workspace"
done
check "no canary in the console log, the API answers or the workspace" test -z "$leaks"
# Masking must hit secrets only: an image reference with a registry port and a digest is no "user:password@".
check "the log names the pushed image unmasked" grep -qF "pushed $DEV_REGISTRY/dev/hello-web:$TAG@$DIGEST" "$W/console.txt"

# ---------------------------------------------------------------- the pages (anonymous read), with screenshots
echo "== pages"
for page in "job/$JOB/1/gitops-release/" "job/$JOB/gitops-deployments/"; do
    code=$(curl -sS -o "$W/page.html" -w '%{http_code}' "$JENKINS_URL/$page")
    check "/$page renders for anonymous (HTTP $code) with the digest" \
        bash -c "[[ $code == 200 ]] && grep -q '${DIGEST:-none}' '$W/page.html' && ! grep -qi 'jelly' '$W/page.html'"
done
mkdir -p "$SHOTS"
shot() { # shot URL FILE
    local profile; profile=$(mktemp -d "$W/chromium.XXXXXX")
    timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
        --user-data-dir="$profile" --window-size=1280,900 --virtual-time-budget=3000 \
        --screenshot="$2" "$1" >>"$W/chromium.log" 2>&1
}
check "screenshot of the run's GitOps Release page" shot "$JENKINS_URL/job/$JOB/1/gitops-release/" "$SHOTS/jenkins-release-page.png"
check "screenshot of the job's Deployments page" shot "$JENKINS_URL/job/$JOB/gitops-deployments/" "$SHOTS/jenkins-deployments-page.png"

check "no warning or error from the plugin in the Jenkins log" \
    bash -c "! grep -E 'WARNING|SEVERE' '$W/jenkins.log' | grep -qi -e gitops -e LinkageError -e 'Rejected:'"

# ---------------------------------------------------------------- the same release through the CLI
echo "== cli"
APP=$W/cli-app
cp -r "$ROOT/examples/hello-web" "$APP"
git -C "$APP" init -q -b main
git -C "$APP" -c user.name=live -c user.email=live@example.invalid add -A
git -C "$APP" -c user.name=live -c user.email=live@example.invalid commit -q -m "hello-web (jenkins-live, CLI)"
CREV=$(git -C "$APP" rev-parse HEAD)
CTAG=${CREV:0:8}
cat >"$W/gitops-release.yaml" <<EOF
repositoryUrl: $GIT_URL
baseBranch: main
namespace: default
forge: github
forgeUrl: $FORGE_URL
environments:
  - name: development
    registry: $DEV_REGISTRY/dev
    namespace: shop-development
    kubeServerUrl: $KUBE_URL
  - name: staging
    registry: $STAGING_REGISTRY/staging
    namespace: shop-staging
    kubeServerUrl: $KUBE_URL
EOF
export GIT_PASSWORD=$LIVE_GIT_PASSWORD FORGE_TOKEN KUBE_TOKEN STAGING_CREDS="$STAGING_USER:$LIVE_STAGING_PASSWORD"
CLI_TIMES=()
cli() { # runs one verb, records its wall time
    local t=$(now_ms) rc=0
    java -jar "$CLI_JAR" "$@" >>"$W/cli.log" 2>&1 || rc=$?
    CLI_TIMES+=($(($(now_ms) - t)))
    return $rc
}
T_CLI=$(now_ms)
cli_ok=1
cli build-image --context "$APP" --image "$DEV_REGISTRY/dev/hello-web:$CTAG" --builder jib \
    --insecure-registry "$DEV_REGISTRY" --build-result "$APP/build_result.json" || cli_ok=0
CIMAGE=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["builds"][0]["tag"])' "$APP/build_result.json" 2>/dev/null || echo "")
[[ $cli_ok == 1 ]] && { cli open-pr --repo "$GIT_URL" --project shop --component hello-web --image "$CIMAGE" \
    --revision "$CREV" --target-env development --descriptor "$APP/workload.yaml" --git-username "$GIT_USER" --git-password-env GIT_PASSWORD \
    --forge github --forge-url "$FORGE_URL" --token-env FORGE_TOKEN || cli_ok=0; }
[[ $cli_ok == 1 ]] && { cli watch-deployment --config "$W/gitops-release.yaml" --component hello-web \
    --environment development --image "$CIMAGE" --token-env KUBE_TOKEN --timeout 2m || cli_ok=0; }
[[ $cli_ok == 1 ]] && { cli promote-image --from "$DEV_REGISTRY/dev/hello-web:$CTAG" \
    --to "$STAGING_REGISTRY/staging/hello-web" --src-insecure --dest-insecure --dest-creds-env STAGING_CREDS || cli_ok=0; }
T_CLI_DONE=$(now_ms)
CLI_MS=$((T_CLI_DONE - T_CLI))
if [[ $cli_ok == 1 ]]; then ok "CLI: build-image, open-pr, watch-deployment, promote-image"; else bad "CLI release"; tail -30 "$W/cli.log" | sed 's/^/    | /'; fi
check "CLI: no canary in its output" bash -c "! grep -qF -e '$LIVE_STAGING_PASSWORD' -e '$LIVE_GIT_PASSWORD' -e '$FORGE_TOKEN' -e '$KUBE_TOKEN' '$W/cli.log'"

# ---------------------------------------------------------------- figures
echo "== figures"
printf '%-52s %8s ms\n' "Jenkins start-up to /api/json 200 ($PLUGIN_COUNT plugins)" "$STARTUP_MS"
printf '%-52s %8s ms\n' "init: Started initialization → fully up (log)" "$INIT_MS"
printf '%-52s %8s ms\n' "plugin load: Listed → Started all plugins (log)" "$PLUGIN_LOAD_MS"
printf '%-52s %8s ms\n' "Pipeline: POST build → result (4 steps)" "$PIPELINE_MS"
printf '%-52s %8s ms\n' "Pipeline: the run's duration (Jenkins)" "$BUILD_MS"
printf '%-52s %8s ms\n' "CLI: the same 4 verbs (4 JVMs)" "$CLI_MS"
python3 -c "import sys; p,c=map(int,sys.argv[1:]); print('%-52s %8.2f' % ('ratio Pipeline / CLI', p/c))" "$PIPELINE_MS" "$CLI_MS"
# Per step: the Pipeline's own clock around each step (CPS included) vs each CLI verb's process (JVM start included).
read -r -a STEP_TIMES <<<"$(grep -m1 '^step-times ' "$W/console.txt" | cut -d' ' -f2-)"
printf '%-22s %12s %12s %7s\n' step "Pipeline ms" "CLI ms" ratio
i=0
for step in buildImage/build-image openReleasePr/open-pr watchDeployment/watch-deployment promoteImage/promote-image; do
    p=${STEP_TIMES[$i]:-?}; c=${CLI_TIMES[$i]:-?}
    r=$([[ $p != "?" && $c != "?" ]] && python3 -c "import sys; print('%.2f' % (int(sys.argv[1])/int(sys.argv[2])))" "$p" "$c" || echo "?")
    printf '%-22s %12s %12s %7s\n' "${step%%/*}" "$p" "$c" "$r"
    i=$((i + 1))
done
