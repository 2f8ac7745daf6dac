import { useTranslation } from 'react-i18next';
import type { StaffProblem } from '../features/staff/staffProblems';
import { ErrorMessage } from './ErrorMessage';

/** A staff change's problem: in the staff screen's words, else as any other error. */
export function StaffProblemMessage({ problem }: { problem: StaffProblem | null }) {
  const { t } = useTranslation();
  if (problem === null || problem.kind !== 'staff')
    return <ErrorMessage error={problem} testId="staff-error" />;
  return (
    <div role="alert" className="alert" data-testid="staff-error" data-code={problem.reason}>
      <span className="alert__text">{t(`staff.errors.${problem.reason}`)}</span>
    </div>
  );
}
