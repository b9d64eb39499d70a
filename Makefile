# Plain entry points; each target says what it runs. `make help` lists them.
SWIFT ?= swift

.PHONY: help demo test test-asan test-tsan fuzz build format bench sample-scenes builtin-scorer clean

help:
	@echo "make demo           annotate the bundled sample scene: labels, QA report, renders, review page (installs system packages if missing)"
	@echo "make test           run the whole test suite (installs system packages if missing)"
	@echo "make test-asan      the test suite under AddressSanitizer"
	@echo "make test-tsan      the test suite under ThreadSanitizer"
	@echo "make fuzz           every reader under libFuzzer and ASan, 10 million runs each (RUNS=n to change)"
	@echo "make build          debug build of everything"
	@echo "make format         format the Swift code (swift-format, .swift-format); make test checks it"
	@echo "make bench          package-benchmark run (release), FusionLabel next to PCL in one run"
	@echo "make sample-scenes  regenerate SampleScenes/urban (bit-identical to the committed one)"
	@echo "make builtin-scorer retrain the built-in proposal scorer on ../shared/scenes and the sample scene"
	@echo "make clean          remove build folders"

demo:
	scripts/run-demo

test:
	scripts/run-tests

test-asan:
	scripts/run-sanitized-tests address

test-tsan:
	scripts/run-sanitized-tests thread

fuzz:
	scripts/fuzz --runs $(or $(RUNS),10000000)

build:
	scripts/install-system-packages
	$(SWIFT) build

format:
	scripts/format

bench:
	scripts/install-system-packages
	scripts/bench-scenes >/dev/null
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark

builtin-scorer:
	scripts/train-builtin-scorer

sample-scenes:
	$(SWIFT) build -c release --product fusionlabel
	.build/release/fusionlabel simulate --preset urban --frames 10 --azimuth-steps 1042 --seed 7 --out SampleScenes/urban

clean:
	rm -rf .build .build-address .build-thread .build-fuzz Benchmarks/.build Benchmarks/.build-avx2
