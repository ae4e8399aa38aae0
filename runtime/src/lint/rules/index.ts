/** The rule registry, in code order. To add a rule: a module here, then one line below. */
import type { LintRule } from '../types';
import { syntaxError } from './syntaxError';
import { missingStart, missingEnd } from './requiredSteps';
import { unknownTransition } from './unknownTransition';
import { endHasNext, missingNext, nextNotLast, invalidNextArgument } from './nextCalls';
import { cycle } from './cycle';
import { unreachableStep } from './unreachable';
import { unjoinedSplit, crossedJoin, joinWithoutInputs, inputsOnNonJoin } from './splitJoin';
import { foreachUnknownList } from './foreachList';
import { multipleFlows } from './multipleFlows';
import { reservedName, duplicateParameter, duplicateStep, stepNameStyle, parameterAssigned } from './names';
import { artifactNotAvailable } from './dataFlow';

export const rules: LintRule[] = [
  syntaxError,
  missingStart,
  missingEnd,
  unknownTransition,
  endHasNext,
  missingNext,
  nextNotLast,
  cycle,
  unreachableStep,
  unjoinedSplit,
  crossedJoin,
  joinWithoutInputs,
  inputsOnNonJoin,
  foreachUnknownList,
  multipleFlows,
  reservedName,
  duplicateParameter,
  artifactNotAvailable,
  duplicateStep,
  invalidNextArgument,
  stepNameStyle,
  parameterAssigned,
];
