/** The messages for artifacts that did not survive a join. */

export function droppedAtJoinMessage(name: string, step: string, join: string): string {
  return (
    `artifact '${name}' is not available in step '${step}': the join '${join}' neither assigned nor merged it. ` +
    `Fix: in '${join}', set this.${name} (e.g. this.${name} = inputs[0].${name}) or call this.mergeArtifacts(inputs).`
  );
}

export function notYetInJoinMessage(name: string, join: string): string {
  return (
    `this.${name} is not set in the join '${join}': a join starts with no upstream artifacts. ` +
    `Read it from a branch (inputs[0].${name}, inputs.<step>.${name}), assign it, or call this.mergeArtifacts(inputs) first.`
  );
}
