# Sourced by scripts/setup.sh and scripts/test.sh: build outputs and Python environments live in a
# cache outside the checkout ($PATROLIQ_CACHE, default ~/.cache/patroliq), linked from it, so that a
# fresh clone on a machine that built before (CI's) compiles only this workspace's own crates, not
# its ~500 dependencies again. Only links are made: a checkout's own target/ is left as it is, and
# an empty cache just builds.
PATROLIQ_CACHE=${PATROLIQ_CACHE:-$HOME/.cache/patroliq}
export PATROLIQ_CACHE
for dir in target fuzz/target; do
  if [ ! -e "$dir" ] && [ ! -L "$dir" ]; then
    mkdir -p "$PATROLIQ_CACHE/$dir"
    ln -s "$PATROLIQ_CACHE/$dir" "$dir"
    echo "$dir -> $PATROLIQ_CACHE/$dir (the build cache the checkouts of this machine share)"
  fi
done
