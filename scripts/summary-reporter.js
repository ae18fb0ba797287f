// Jest reporter that ends a run with one plain line, `tests: N passed, N failed, N skipped`,
// so CI can read the outcome without knowing Jest's own summary format.

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(
      `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`,
    );
  }
}

module.exports = SummaryReporter;
