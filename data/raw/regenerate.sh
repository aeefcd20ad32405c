#!/usr/bin/env bash
# Regenerates the SIMULATED bundles in data/raw/ (byte-identical for the same code: every run is
# seeded). Run from the repository root after `npm test` or `npx tsc -p .` has built dist/.
set -euo pipefail
cd "$(dirname "$0")/../.."
sim() { node dist/cli/main.js simulate --truth paper --force "$@"; }
R=data/raw
sim --device raspberry-pi-5 --backend cpu --model tinyllama-1.1b --benchmark winogrande --inferences 6 \
    --meter pmic --sample-hz 1 --runtime llama.cpp --seed 101 --out $R/sim-rpi5-tinyllama-winogrande-pmic
sim --device jetson-orin-nano --backend gpu --model llama-3.2-1b --benchmark winogrande --inferences 12 \
    --meter fnirsi --sample-hz 100 --runtime collector --seed 102 --out $R/sim-orin-gpu-llama32-winogrande-fnirsi
sim --device jetson-nano --backend cpu --model llama-3.2-1b --benchmark winogrande --inferences 5 \
    --meter tegrastats --sample-hz 1 --runtime ollama --seed 103 --out $R/sim-nano-llama32-winogrande-tegrastats
sim --device jetson-orin-nano --backend cpu --model gemma-2-2b --benchmark mmlu --inferences 4 \
    --meter tegrastats --sample-hz 1 --runtime collector --seed 104 --out $R/sim-orin-cpu-gemma2-mmlu-tegrastats
sim --device jetson-orin-nano --backend gpu --model phi-3-mini --benchmark hellaswag --inferences 3 \
    --meter jtop --sample-hz 2 --runtime llama-bench --seed 105 --out $R/sim-orin-gpu-phi3-hellaswag-jtop-bench
sim --device jetson-nano --backend cpu --model tinyllama-1.1b --benchmark winogrande --inferences 4 \
    --meter usb-csv --sample-hz 10 --runtime collector --seed 106 --out $R/sim-nano-tinyllama-winogrande-usb
sim --device jetson-orin-nano --backend cpu --model llama-3.2-1b --benchmark winogrande --inferences 8 \
    --meter rapl --sample-hz 10 --runtime ollama --seed 107 --out $R/sim-orin-cpu-llama32-winogrande-rapl
sim --device jetson-orin-nano --backend gpu --model gemma-2-2b --benchmark winogrande --inferences 10 \
    --meter nvidia-smi --sample-hz 10 --runtime llama.cpp --seed 108 --out $R/sim-orin-gpu-gemma2-winogrande-nvsmi
sim --device jetson-orin-nano --backend cpu --model tinyllama-1.1b --benchmark winogrande --inferences 8 \
    --meter tegrastats --sample-hz 1 --runtime collector --seed 109 --damage garbage,duplicate \
    --out $R/sim-orin-cpu-tinyllama-winogrande-tegrastats-damaged
