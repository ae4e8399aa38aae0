/** The rule registry, in code order. To add a rule: a module here, then one line below. */
import type { LintRule } from '../types';
import { syntaxError } from './syntaxError';
import { missingStart } from './missingStart';
import { missingEnd } from './missingEnd';
import { unknownTransition } from './unknownTransition';
import { endHasNext } from './endHasNext';
import { missingNext } from './missingNext';
import { nextNotLast } from './nextNotLast';
import { cycle } from './cycle';
import { unreachableStep } from './unreachableStep';
import { unjoinedSplit } from './unjoinedSplit';
import { crossedJoin } from './crossedJoin';
import { joinWithoutInputs } from './joinWithoutInputs';
import { inputsOnNonJoin } from './inputsOnNonJoin';
import { foreachUnknownList } from './foreachUnknownList';
import { multipleFlows } from './multipleFlows';
import { reservedName } from './reservedName';
import { duplicateParameter } from './duplicateParameter';
import { artifactNotAvailable } from './artifactNotAvailable';
import { duplicateStep } from './duplicateStep';
import { invalidNextArgument } from './invalidNextArgument';
import { stepNameStyle } from './stepNameStyle';
import { parameterAssigned } from './parameterAssigned';
import { mergeIncludeExclude } from './mergeIncludeExclude';
import { switchWithoutCondition } from './switchWithoutCondition';
import { switchConditionUnassigned } from './switchConditionUnassigned';
import { invalidSwitchCase } from './invalidSwitchCase';
import { joinAfterSwitch } from './joinAfterSwitch';
import { loopConditionUnchanged } from './loopConditionUnchanged';
import { decoratorOptions } from './decoratorOptions';
import { decoratorPlacement } from './decoratorPlacement';
import { catchVarClash } from './catchVar';
import { catchOnForeach } from './catchOnForeach';
import { foreachNotIterable } from './foreachNotIterable';

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
  mergeIncludeExclude,
  switchWithoutCondition,
  switchConditionUnassigned,
  invalidSwitchCase,
  joinAfterSwitch,
  loopConditionUnchanged,
  decoratorOptions,
  decoratorPlacement,
  catchVarClash,
  catchOnForeach,
  foreachNotIterable,
];
