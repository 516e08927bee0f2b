"""Typed SQLAlchemy models, one module per capability; importing this package registers them all."""
from .office import Kabupaten, Office, Section, PaperSize
from .user import KABUPATEN_ROLES, OFFICE_ROLES, LoginFailure, Role, User
from .audit import AuditEvent
from .workflow import EntryState, Notification, NotificationEntry, ReminderSent, WorkflowAction, WorkflowEntry, WorkflowEvent
from .decree import Decree, DecreeStatus, DecreeVersion
from .letterhead import OfficeLogo, OfficeTemplate
from .survey import (PeriodStatus, ResponseSource, SurveyComment, SurveyFollowUp, SurveyImport, SurveyKiosk, SurveyPeriod, SurveyPublicToken, SurveyResponse, SurveyResult,
                     SurveyService)
from .documents import DocumentFile, DocumentGroup, DocumentType, RequiredDocument
from .indicators import Indicator, IndikatorTujuan, Target, TargetChange, Tujuan, Unit
from .registers import (Activity, ActivityKind, Complaint, ComplaintChannel, ComplaintStatus, ProgramIndicator,
                        RegisterEvidenceFile, SakipEvaluation)
from .survey_totals import SurveyTotal
from .standard import StandardDecreeText, StandardDocument, StandardGoal, StandardIndicator, StandardSection
from .api_token import ApiToken
from .changes import ChangeRequest
from .desa import Desa
from .planning import ProgramBudget
from .pk import PerformanceAgreement, PerformanceTarget, PerformanceVersion, PkLevel, PkStatus
from .renaksi import RenaksiAction, RenaksiNote, RenaksiPlan
from .lkjip import LkjipFactor, LkjipPastValue, RenstraPeriod, RenstraTarget

__all__ = [name for name in dir() if name[:1].isupper()]  # classes and the role sets
