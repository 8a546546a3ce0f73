# Shared by the bench scripts: repository root, the build's JVM flags (from the root POM) and the tests class path.
# Sourced, not run. Builds first unless RINGCAST_BENCH_NO_BUILD=1.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ "${RINGCAST_BENCH_NO_BUILD:-0}" != "1" ]; then
    mvn -B -q -o install -DskipTests >&2 || { echo "bench: build failed (mvn -o install -DskipTests)" >&2; exit 2; }
fi
JVM_FLAGS="$(sed -n 's:.*<ringcast.jvm.flags>\(.*\)</ringcast.jvm.flags>.*:\1:p' pom.xml)"
if [ -z "$JVM_FLAGS" ]; then
    echo "bench: cannot read ringcast.jvm.flags from $ROOT/pom.xml" >&2
    exit 2
fi
CP_FILE="$(mktemp)"
mvn -B -q -o dependency:build-classpath -pl tests -Dmdep.outputFile="$CP_FILE" >&2 || { echo "bench: cannot build the class path" >&2; exit 2; }
# Others may rebuild the project while a benchmark runs (a clean build deletes target/classes and rewrites the
# SNAPSHOT jars): run from a private copy of Ringcast's own classes and jars, taken now.
SNAPSHOT_DIR="$(mktemp -d /tmp/ringcast-bench-snapshot.XXXXXX)"
trap 'rm -rf "$SNAPSHOT_DIR"' EXIT
cp -r "$ROOT/tests/target/classes" "$SNAPSHOT_DIR/tests-classes"
cp "$ROOT/engine/target/ringcast.jar" "$SNAPSHOT_DIR/ringcast.jar"
# The node's JVM options go with the jar: NodeProcess reads jvm.options beside it.
cp "$ROOT/jvm.options" "$SNAPSHOT_DIR/jvm.options"
NODE_JAR="$SNAPSHOT_DIR/ringcast.jar"
CLASSPATH_TESTS="$SNAPSHOT_DIR/tests-classes"
IFS=":" read -r -a CP_ENTRIES < "$CP_FILE" || true  # no final newline: read returns 1
for entry in "${CP_ENTRIES[@]}"; do
    case "$entry" in
        */io/ringcast/*) cp "$entry" "$SNAPSHOT_DIR/" && entry="$SNAPSHOT_DIR/$(basename "$entry")" ;;
    esac
    CLASSPATH_TESTS="$CLASSPATH_TESTS:$entry"
done
rm -f "$CP_FILE"
