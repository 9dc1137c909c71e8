# Sourced by bin/dtql and scripts/bench-agent.sh: how PyTorch's OpenMP threads wait at the end of
# each op. libgomp's default lets a waiting thread spin about 300,000 times before it sleeps; next
# to another busy process that spinning takes the CPU the late thread needs (hopper training fell
# to 0.3-9 steps/s here). A short spin keeps most of the quiet-machine speed and yields the CPU
# soon under load (figures: README, Benchmarks). Settings made by the user are kept.
if [[ -z "${OMP_WAIT_POLICY:-}" && -z "${GOMP_SPINCOUNT:-}" ]]; then
  export GOMP_SPINCOUNT=10000
fi
