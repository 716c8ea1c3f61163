/**
 * 由 scripts/openapi-types.ts 根据接口的 OpenAPI 文档（GET /api/docs/json）生成，请勿手工修改。
 * Generated from the API's OpenAPI document (the routes' zod schemas) — do not edit by hand.
 * Regenerate after changing a route's schemas:  npx tsx scripts/openapi-types.ts
 * (tests/unit/api-types.test.ts fails while this file differs from the API.)
 */

export interface paths {
  '/api/activities': {
    /** 可申报的评审活动：已发布、申报人的工作单位在评委会评审范围内（区域、单位性质、内部评委会），或本地区没有该系列评委会须委托评审 */
    get: {
      responses: {
        200: Array<{
          id: number;
          name: string;
          year: number;
          committeeUnitId: number;
          committeeUnitName: string;
          committeeName: string;
          levels: string[];
          specialties: string[];
          startsAt: string | null;
          firstDeadline: string | null;
          revisionDeadline: string | null;
          open: boolean;
          closedReason: string | null;
          delegationNote: string | null;
          dossierId: number | null;
        }>;
        401: components['schemas']['ApiError'];
      };
    };
    /** 新增评审活动（草稿；带入评委会的业绩成果默认配置） */
    post: {
      body: {
        /** 评审活动名称：会在个人申报时展示，例如：2026年度成都市工程技术系列中级职称评审工作 */
        name: string;
        /** 申报范围：例如：全市在岗从事工程技术专业技术工作的人才 */
        scope: string;
        /** 评审归属年份 */
        year: number;
        /** 评审活动类别：年度评审活动每个评委会每年只能开展一次；一年需开展多次的选专项评审活动 */
        kind: 'annual' | 'special';
        /** 评审方式 */
        reviewMethod: 'expert' | 'exam_expert';
        /** 评委会组织笔试 */
        writtenExam: 'all' | 'no_degree' | 'partial' | 'none';
        /** 是否组织面试答辩 */
        defense: 'partial' | 'all' | 'none';
        /** 申报开始时间：个人首次申报的开始时间；申报通知须在此前至少 30 天发布 */
        startsAt: string;
        /** 个人初次提交截止时间：至少比申报开始时间晚 30 天 */
        firstDeadline: string;
        /** 个人修改提交截止时间：被退回的申报材料再次提交的截止时间，至少比初次提交截止时间晚 10 天 */
        revisionDeadline: string;
        /** 评委会接收申报截止时间：单位审核报送的截止时间，至少比修改提交截止时间晚 14 天 */
        receiptDeadline: string;
        /** 单位初次审核截止时间：申报人所在单位（及上级单位）初次审核通过的截止时间，不早于个人初次提交截止时间；不填则只受评委会接收截止时间限制 */
        unitReviewDeadline?: string;
        /** 主管部门网上审核截止时间：主管部门初次审核通过的截止时间，不早于单位初次审核截止时间、不晚于个人修改提交截止时间 */
        departmentReviewDeadline?: string;
        /** 主管部门修改提交截止时间：退回修改后的申报材料由单位、主管部门审核通过的截止时间，不早于个人修改提交截止时间、不晚于评委会接收截止时间 */
        departmentRevisionDeadline?: string;
        /** 是否显示卫生专用页面 */
        healthPage?: boolean;
        /** 是否显示中小学教师专用页面 */
        schoolPage?: boolean;
        /** 是否显示中职教师专用页面 */
        vocationalPage?: boolean;
        /** 评审政策文件（对外发布使用） */
        policyFiles?: Array<{
          id: string;
          name: string;
          size: number;
          mime: string;
        }>;
        /** 文号：格式：机关代字〔年份〕序号号 */
        documentNumber?: string;
        /** 是否对外公开：选“是”的，审核通过后评审活动通知发布到系统首页 */
        public?: boolean;
        /** 是否进行破格评议：对破格申报人员先开一轮破格评审会议的选“是” */
        breakthrough?: boolean;
        /** 是否设置专业组：选“是”的，普通评审会议先由专业组评议，再全体专家投票 */
        panels?: boolean;
        /** 专业组评审方式：设置专业组时必选 */
        panelMethod?: 'vote' | 'score';
        /** 评审工作方案（对内审核使用） */
        planFiles?: Array<{
          id: string;
          name: string;
          size: number;
          mime: string;
        }>;
        /** 开设级别：只能选择评委会备案通过的评审层级 */
        levels?: Array<'senior_full' | 'senior_deputy' | 'intermediate' | 'junior'>;
        /** 开设专业：按专业备案的评委会只能开设其备案的专业；不填表示开设评委会评审范围内的全部专业 */
        specialties?: string[];
        /** 继续教育最低学时：申报人填写的继续教育学时不得少于此数；按规定每年累计不少于 90 学时 */
        minContinuingEducationHours?: number;
        /** 业绩成果要求：按序号从小到大向申报人展示；新建活动时带入评委会的默认配置 */
        achievements?: Array<{
          /** 序号 */
          order: number;
          /** 展示标题 */
          title: 'papers' | 'before_current' | 'after_current' | 'teaching' | 'teaching_results' | 'teaching_research' | 'achievements' | 'influence' | 'ability' | 'ability_achievements';
          /** 模板类别 */
          templates: Array<'general' | 'patent' | 'award' | 'paper' | 'sci_tech_award' | 'report' | 'book' | 'standard'>;
          /** 业绩要求描述 */
          requirement: string;
        }>;
        /** 破格条件 */
        breakthroughConditions?: Array<{
          /** 破格条件 */
          name: string;
          /** 条件说明 */
          description?: string;
        }>;
        /** 申报材料：系统已设置的申报材料上传窗口不要重复配置 */
        materials?: Array<{
          /** 材料名称 */
          name: string;
          /** 是否必须上传 */
          required?: boolean;
          /** 最多附件数 */
          maxFiles?: number;
          /** 材料说明 */
          description?: string;
        }>;
        /** 评委会名称 */
        committeeId: number;
      };
      responses: {
        201: {
          id: number;
          name: string;
          scope: string | null;
          year: number;
          kind: string;
          committeeId: number;
          committeeName: string;
          organiserUnitName: string;
          reviewMethod: string;
          writtenExam: string;
          defense: string;
          startsAt: string | null;
          firstDeadline: string | null;
          revisionDeadline: string | null;
          receiptDeadline: string | null;
          unitReviewDeadline: string | null;
          departmentReviewDeadline: string | null;
          departmentRevisionDeadline: string | null;
          healthPage: boolean;
          schoolPage: boolean;
          vocationalPage: boolean;
          policyFiles: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          documentNumber: string | null;
          levels: string[];
          specialties: string[];
          minContinuingEducationHours: number;
          achievements: Array<Record<string, unknown>>;
          breakthroughConditions: Array<Record<string, unknown>>;
          materials: Array<Record<string, unknown>>;
          publishedAt: string | null;
          kindLabel: string;
          reviewMethodLabel: string;
          writtenExamLabel: string;
          defenseLabel: string;
          levelLabels: string[];
          phase: string | null;
          phaseLabel: string | null;
          organiserUnitId: number;
          status: string;
          statusLabel: string;
          breakthrough: boolean;
          panels: boolean;
          panelMethod: string | null;
          planFiles: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          public: boolean;
          instanceId: string | null;
          submittedAt: string | null;
          firstClosedAt: string | null;
          revisionClosedAt: string | null;
          reviewOpinion: string | null;
          createdAt: string;
          updatedAt: string;
          version: number;
          openTaskId: string | null;
          pendingDeadlineChangeId: number | null;
          canEdit: boolean;
          canSubmit: boolean;
          canDelete: boolean;
          canRequestDeadlineChange: boolean;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/activities/committee-options': {
    /** 可发布评审活动的评委会（本单位组建；已备案且在有效期内的可选） */
    get: {
      responses: {
        200: Array<{
          id: number;
          name: string;
          series: string | null;
          levels: string[];
          levelLabels: string[];
          specialties: string[];
          validTo: string | null;
          usable: boolean;
          problem: string | null;
          achievementDefaults: Array<Record<string, unknown>>;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/activities/managed': {
    /** 评审活动发布：本单位评委会的评审活动（分页、筛选：q、status、year、committeeId） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: number;
          name: string;
          year: number;
          kind: string;
          kindLabel: string;
          committeeId: number;
          committeeName: string;
          status: string;
          statusLabel: string;
          phase: string | null;
          phaseLabel: string | null;
          startsAt: string | null;
          firstDeadline: string | null;
          revisionDeadline: string | null;
          receiptDeadline: string | null;
          submittedAt: string | null;
          publishedAt: string | null;
          updatedAt: string;
          reviewOpinion: string | null;
          version: number;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/activities/{id}': {
    /** 评审活动信息（组建单位；审核单位通过其待办查看） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          name: string;
          scope: string | null;
          year: number;
          kind: string;
          committeeId: number;
          committeeName: string;
          organiserUnitName: string;
          reviewMethod: string;
          writtenExam: string;
          defense: string;
          startsAt: string | null;
          firstDeadline: string | null;
          revisionDeadline: string | null;
          receiptDeadline: string | null;
          unitReviewDeadline: string | null;
          departmentReviewDeadline: string | null;
          departmentRevisionDeadline: string | null;
          healthPage: boolean;
          schoolPage: boolean;
          vocationalPage: boolean;
          policyFiles: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          documentNumber: string | null;
          levels: string[];
          specialties: string[];
          minContinuingEducationHours: number;
          achievements: Array<Record<string, unknown>>;
          breakthroughConditions: Array<Record<string, unknown>>;
          materials: Array<Record<string, unknown>>;
          publishedAt: string | null;
          kindLabel: string;
          reviewMethodLabel: string;
          writtenExamLabel: string;
          defenseLabel: string;
          levelLabels: string[];
          phase: string | null;
          phaseLabel: string | null;
          organiserUnitId: number;
          status: string;
          statusLabel: string;
          breakthrough: boolean;
          panels: boolean;
          panelMethod: string | null;
          planFiles: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          public: boolean;
          instanceId: string | null;
          submittedAt: string | null;
          firstClosedAt: string | null;
          revisionClosedAt: string | null;
          reviewOpinion: string | null;
          createdAt: string;
          updatedAt: string;
          version: number;
          openTaskId: string | null;
          pendingDeadlineChangeId: number | null;
          canEdit: boolean;
          canSubmit: boolean;
          canDelete: boolean;
          canRequestDeadlineChange: boolean;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 保存评审活动（仅草稿；version 防止覆盖他人的修改） */
    put: {
      params: {
        id: number;
      };
      body: {
        /** 评审活动名称：会在个人申报时展示，例如：2026年度成都市工程技术系列中级职称评审工作 */
        name: string;
        /** 申报范围：例如：全市在岗从事工程技术专业技术工作的人才 */
        scope: string;
        /** 评审归属年份 */
        year: number;
        /** 评审活动类别：年度评审活动每个评委会每年只能开展一次；一年需开展多次的选专项评审活动 */
        kind: 'annual' | 'special';
        /** 评审方式 */
        reviewMethod: 'expert' | 'exam_expert';
        /** 评委会组织笔试 */
        writtenExam: 'all' | 'no_degree' | 'partial' | 'none';
        /** 是否组织面试答辩 */
        defense: 'partial' | 'all' | 'none';
        /** 申报开始时间：个人首次申报的开始时间；申报通知须在此前至少 30 天发布 */
        startsAt: string;
        /** 个人初次提交截止时间：至少比申报开始时间晚 30 天 */
        firstDeadline: string;
        /** 个人修改提交截止时间：被退回的申报材料再次提交的截止时间，至少比初次提交截止时间晚 10 天 */
        revisionDeadline: string;
        /** 评委会接收申报截止时间：单位审核报送的截止时间，至少比修改提交截止时间晚 14 天 */
        receiptDeadline: string;
        /** 单位初次审核截止时间：申报人所在单位（及上级单位）初次审核通过的截止时间，不早于个人初次提交截止时间；不填则只受评委会接收截止时间限制 */
        unitReviewDeadline?: string;
        /** 主管部门网上审核截止时间：主管部门初次审核通过的截止时间，不早于单位初次审核截止时间、不晚于个人修改提交截止时间 */
        departmentReviewDeadline?: string;
        /** 主管部门修改提交截止时间：退回修改后的申报材料由单位、主管部门审核通过的截止时间，不早于个人修改提交截止时间、不晚于评委会接收截止时间 */
        departmentRevisionDeadline?: string;
        /** 是否显示卫生专用页面 */
        healthPage?: boolean;
        /** 是否显示中小学教师专用页面 */
        schoolPage?: boolean;
        /** 是否显示中职教师专用页面 */
        vocationalPage?: boolean;
        /** 评审政策文件（对外发布使用） */
        policyFiles?: Array<{
          id: string;
          name: string;
          size: number;
          mime: string;
        }>;
        /** 文号：格式：机关代字〔年份〕序号号 */
        documentNumber?: string;
        /** 是否对外公开：选“是”的，审核通过后评审活动通知发布到系统首页 */
        public?: boolean;
        /** 是否进行破格评议：对破格申报人员先开一轮破格评审会议的选“是” */
        breakthrough?: boolean;
        /** 是否设置专业组：选“是”的，普通评审会议先由专业组评议，再全体专家投票 */
        panels?: boolean;
        /** 专业组评审方式：设置专业组时必选 */
        panelMethod?: 'vote' | 'score';
        /** 评审工作方案（对内审核使用） */
        planFiles?: Array<{
          id: string;
          name: string;
          size: number;
          mime: string;
        }>;
        /** 开设级别：只能选择评委会备案通过的评审层级 */
        levels?: Array<'senior_full' | 'senior_deputy' | 'intermediate' | 'junior'>;
        /** 开设专业：按专业备案的评委会只能开设其备案的专业；不填表示开设评委会评审范围内的全部专业 */
        specialties?: string[];
        /** 继续教育最低学时：申报人填写的继续教育学时不得少于此数；按规定每年累计不少于 90 学时 */
        minContinuingEducationHours?: number;
        /** 业绩成果要求：按序号从小到大向申报人展示；新建活动时带入评委会的默认配置 */
        achievements?: Array<{
          /** 序号 */
          order: number;
          /** 展示标题 */
          title: 'papers' | 'before_current' | 'after_current' | 'teaching' | 'teaching_results' | 'teaching_research' | 'achievements' | 'influence' | 'ability' | 'ability_achievements';
          /** 模板类别 */
          templates: Array<'general' | 'patent' | 'award' | 'paper' | 'sci_tech_award' | 'report' | 'book' | 'standard'>;
          /** 业绩要求描述 */
          requirement: string;
        }>;
        /** 破格条件 */
        breakthroughConditions?: Array<{
          /** 破格条件 */
          name: string;
          /** 条件说明 */
          description?: string;
        }>;
        /** 申报材料：系统已设置的申报材料上传窗口不要重复配置 */
        materials?: Array<{
          /** 材料名称 */
          name: string;
          /** 是否必须上传 */
          required?: boolean;
          /** 最多附件数 */
          maxFiles?: number;
          /** 材料说明 */
          description?: string;
        }>;
        /** 版本号 */
        version: number;
      };
      responses: {
        200: {
          id: number;
          name: string;
          scope: string | null;
          year: number;
          kind: string;
          committeeId: number;
          committeeName: string;
          organiserUnitName: string;
          reviewMethod: string;
          writtenExam: string;
          defense: string;
          startsAt: string | null;
          firstDeadline: string | null;
          revisionDeadline: string | null;
          receiptDeadline: string | null;
          unitReviewDeadline: string | null;
          departmentReviewDeadline: string | null;
          departmentRevisionDeadline: string | null;
          healthPage: boolean;
          schoolPage: boolean;
          vocationalPage: boolean;
          policyFiles: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          documentNumber: string | null;
          levels: string[];
          specialties: string[];
          minContinuingEducationHours: number;
          achievements: Array<Record<string, unknown>>;
          breakthroughConditions: Array<Record<string, unknown>>;
          materials: Array<Record<string, unknown>>;
          publishedAt: string | null;
          kindLabel: string;
          reviewMethodLabel: string;
          writtenExamLabel: string;
          defenseLabel: string;
          levelLabels: string[];
          phase: string | null;
          phaseLabel: string | null;
          organiserUnitId: number;
          status: string;
          statusLabel: string;
          breakthrough: boolean;
          panels: boolean;
          panelMethod: string | null;
          planFiles: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          public: boolean;
          instanceId: string | null;
          submittedAt: string | null;
          firstClosedAt: string | null;
          revisionClosedAt: string | null;
          reviewOpinion: string | null;
          createdAt: string;
          updatedAt: string;
          version: number;
          openTaskId: string | null;
          pendingDeadlineChangeId: number | null;
          canEdit: boolean;
          canSubmit: boolean;
          canDelete: boolean;
          canRequestDeadlineChange: boolean;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 删除从未提交审核的草稿 */
    delete: {
      params: {
        id: number;
      };
      query: {
        version: number;
      };
      responses: {
        204: null;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/activities/{id}/deadline-changes': {
    /** 申报时间调整申请及审核结果 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: Array<{
          id: number;
          status: string;
          reason: string;
          before: Record<string, string | null>;
          after: Record<string, string | null>;
          requestedByName: string | null;
          requestedAt: string;
          decidedAt: string | null;
          decidedByName: string | null;
          opinion: string | null;
          instanceId: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 申请调整申报时间（已发布的活动；只能延后，经核准备案单位同意后生效） */
    post: {
      params: {
        id: number;
      };
      body: {
        /** 个人初次提交截止时间 */
        firstDeadline: string;
        /** 个人修改提交截止时间 */
        revisionDeadline: string;
        /** 评委会接收申报截止时间 */
        receiptDeadline: string;
        /** 调整理由：确因不可抗力因素需延长申报时间的，请充分说明理由 */
        reason: string;
      };
      responses: {
        201: {
          id: number;
          status: string;
          reason: string;
          before: Record<string, string | null>;
          after: Record<string, string | null>;
          requestedByName: string | null;
          requestedAt: string;
          decidedAt: string | null;
          decidedByName: string | null;
          opinion: string | null;
          instanceId: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/activities/{id}/scoring': {
    /** 评分标准（评审活动的评分项、满分和总分） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          activityId: number;
          items: Array<{
            id: number;
            name: string;
            maxPoints: number;
            description: string | null;
            orderNo: number;
          }>;
          /** 总分 */
          total: number;
          activityName: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 设置评分标准（整体保存评分项，按给出的顺序） */
    put: {
      params: {
        id: number;
      };
      body: {
        items: Array<{
          name: string;
          maxPoints: number;
          description?: string | null;
        }>;
      };
      responses: {
        200: {
          activityId: number;
          items: Array<{
            id: number;
            name: string;
            maxPoints: number;
            description: string | null;
            orderNo: number;
          }>;
          /** 总分 */
          total: number;
          activityName: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/activities/{id}/submit': {
    /** 提交发布审核（草稿或被退回的评审活动） */
    post: {
      params: {
        id: number;
      };
      body: {
        data?: {
          /** 评审活动名称：会在个人申报时展示，例如：2026年度成都市工程技术系列中级职称评审工作 */
          name: string;
          /** 申报范围：例如：全市在岗从事工程技术专业技术工作的人才 */
          scope: string;
          /** 评审归属年份 */
          year: number;
          /** 评审活动类别：年度评审活动每个评委会每年只能开展一次；一年需开展多次的选专项评审活动 */
          kind: 'annual' | 'special';
          /** 评审方式 */
          reviewMethod: 'expert' | 'exam_expert';
          /** 评委会组织笔试 */
          writtenExam: 'all' | 'no_degree' | 'partial' | 'none';
          /** 是否组织面试答辩 */
          defense: 'partial' | 'all' | 'none';
          /** 申报开始时间：个人首次申报的开始时间；申报通知须在此前至少 30 天发布 */
          startsAt: string;
          /** 个人初次提交截止时间：至少比申报开始时间晚 30 天 */
          firstDeadline: string;
          /** 个人修改提交截止时间：被退回的申报材料再次提交的截止时间，至少比初次提交截止时间晚 10 天 */
          revisionDeadline: string;
          /** 评委会接收申报截止时间：单位审核报送的截止时间，至少比修改提交截止时间晚 14 天 */
          receiptDeadline: string;
          /** 单位初次审核截止时间：申报人所在单位（及上级单位）初次审核通过的截止时间，不早于个人初次提交截止时间；不填则只受评委会接收截止时间限制 */
          unitReviewDeadline?: string;
          /** 主管部门网上审核截止时间：主管部门初次审核通过的截止时间，不早于单位初次审核截止时间、不晚于个人修改提交截止时间 */
          departmentReviewDeadline?: string;
          /** 主管部门修改提交截止时间：退回修改后的申报材料由单位、主管部门审核通过的截止时间，不早于个人修改提交截止时间、不晚于评委会接收截止时间 */
          departmentRevisionDeadline?: string;
          /** 是否显示卫生专用页面 */
          healthPage?: boolean;
          /** 是否显示中小学教师专用页面 */
          schoolPage?: boolean;
          /** 是否显示中职教师专用页面 */
          vocationalPage?: boolean;
          /** 评审政策文件（对外发布使用） */
          policyFiles?: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          /** 文号：格式：机关代字〔年份〕序号号 */
          documentNumber?: string;
          /** 是否对外公开：选“是”的，审核通过后评审活动通知发布到系统首页 */
          public?: boolean;
          /** 是否进行破格评议：对破格申报人员先开一轮破格评审会议的选“是” */
          breakthrough?: boolean;
          /** 是否设置专业组：选“是”的，普通评审会议先由专业组评议，再全体专家投票 */
          panels?: boolean;
          /** 专业组评审方式：设置专业组时必选 */
          panelMethod?: 'vote' | 'score';
          /** 评审工作方案（对内审核使用） */
          planFiles?: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          /** 开设级别：只能选择评委会备案通过的评审层级 */
          levels?: Array<'senior_full' | 'senior_deputy' | 'intermediate' | 'junior'>;
          /** 开设专业：按专业备案的评委会只能开设其备案的专业；不填表示开设评委会评审范围内的全部专业 */
          specialties?: string[];
          /** 继续教育最低学时：申报人填写的继续教育学时不得少于此数；按规定每年累计不少于 90 学时 */
          minContinuingEducationHours?: number;
          /** 业绩成果要求：按序号从小到大向申报人展示；新建活动时带入评委会的默认配置 */
          achievements?: Array<{
            /** 序号 */
            order: number;
            /** 展示标题 */
            title: 'papers' | 'before_current' | 'after_current' | 'teaching' | 'teaching_results' | 'teaching_research' | 'achievements' | 'influence' | 'ability' | 'ability_achievements';
            /** 模板类别 */
            templates: Array<'general' | 'patent' | 'award' | 'paper' | 'sci_tech_award' | 'report' | 'book' | 'standard'>;
            /** 业绩要求描述 */
            requirement: string;
          }>;
          /** 破格条件 */
          breakthroughConditions?: Array<{
            /** 破格条件 */
            name: string;
            /** 条件说明 */
            description?: string;
          }>;
          /** 申报材料：系统已设置的申报材料上传窗口不要重复配置 */
          materials?: Array<{
            /** 材料名称 */
            name: string;
            /** 是否必须上传 */
            required?: boolean;
            /** 最多附件数 */
            maxFiles?: number;
            /** 材料说明 */
            description?: string;
          }>;
        };
      };
      responses: {
        200: {
          id: number;
          name: string;
          scope: string | null;
          year: number;
          kind: string;
          committeeId: number;
          committeeName: string;
          organiserUnitName: string;
          reviewMethod: string;
          writtenExam: string;
          defense: string;
          startsAt: string | null;
          firstDeadline: string | null;
          revisionDeadline: string | null;
          receiptDeadline: string | null;
          unitReviewDeadline: string | null;
          departmentReviewDeadline: string | null;
          departmentRevisionDeadline: string | null;
          healthPage: boolean;
          schoolPage: boolean;
          vocationalPage: boolean;
          policyFiles: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          documentNumber: string | null;
          levels: string[];
          specialties: string[];
          minContinuingEducationHours: number;
          achievements: Array<Record<string, unknown>>;
          breakthroughConditions: Array<Record<string, unknown>>;
          materials: Array<Record<string, unknown>>;
          publishedAt: string | null;
          kindLabel: string;
          reviewMethodLabel: string;
          writtenExamLabel: string;
          defenseLabel: string;
          levelLabels: string[];
          phase: string | null;
          phaseLabel: string | null;
          organiserUnitId: number;
          status: string;
          statusLabel: string;
          breakthrough: boolean;
          panels: boolean;
          panelMethod: string | null;
          planFiles: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          public: boolean;
          instanceId: string | null;
          submittedAt: string | null;
          firstClosedAt: string | null;
          revisionClosedAt: string | null;
          reviewOpinion: string | null;
          createdAt: string;
          updatedAt: string;
          version: number;
          openTaskId: string | null;
          pendingDeadlineChangeId: number | null;
          canEdit: boolean;
          canSubmit: boolean;
          canDelete: boolean;
          canRequestDeadlineChange: boolean;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/announcements': {
    /** 本单位的通知公告（按类型、状态、标题筛选） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: number;
          unitId: number;
          unitName: string;
          /** 公告类型 */
          type: 'notice' | 'policy' | 'document' | 'standard' | 'upload' | 'faq' | 'publicity' | 'eligibility';
          typeLabel: string;
          title: string;
          content: string;
          /** 状态 */
          state: 'draft' | 'published' | 'revoked';
          stateLabel: string;
          createdAt: string;
          updatedAt: string;
          publishedAt: string | null;
          revokedAt: string | null;
          version: number;
          attachments: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 添加公告（草稿） */
    post: {
      body: {
        /** 公告类型 */
        type: 'notice' | 'policy' | 'document' | 'standard' | 'upload' | 'faq' | 'publicity' | 'eligibility';
        /** 标题 */
        title: string;
        /** 正文 */
        content: string;
        /** 附件 */
        attachmentIds?: string[];
      };
      responses: {
        201: {
          id: number;
          unitId: number;
          unitName: string;
          /** 公告类型 */
          type: 'notice' | 'policy' | 'document' | 'standard' | 'upload' | 'faq' | 'publicity' | 'eligibility';
          typeLabel: string;
          title: string;
          content: string;
          /** 状态 */
          state: 'draft' | 'published' | 'revoked';
          stateLabel: string;
          createdAt: string;
          updatedAt: string;
          publishedAt: string | null;
          revokedAt: string | null;
          version: number;
          attachments: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/announcements/batch': {
    /** 批量发布、撤回或删除 */
    post: {
      body: {
        /** 操作 */
        action: 'publish' | 'revoke' | 'delete';
        /** 公告 */
        ids: number[];
      };
      responses: {
        200: {
          succeeded: number;
          failed: number;
          results: Array<{
            id: number;
            ok: boolean;
            status: number;
            message: string | null;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/announcements/{id}': {
    /** 公告详情 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          unitId: number;
          unitName: string;
          /** 公告类型 */
          type: 'notice' | 'policy' | 'document' | 'standard' | 'upload' | 'faq' | 'publicity' | 'eligibility';
          typeLabel: string;
          title: string;
          content: string;
          /** 状态 */
          state: 'draft' | 'published' | 'revoked';
          stateLabel: string;
          createdAt: string;
          updatedAt: string;
          publishedAt: string | null;
          revokedAt: string | null;
          version: number;
          attachments: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 编辑公告（草稿或已撤回的） */
    put: {
      params: {
        id: number;
      };
      body: {
        /** 公告类型 */
        type: 'notice' | 'policy' | 'document' | 'standard' | 'upload' | 'faq' | 'publicity' | 'eligibility';
        /** 标题 */
        title: string;
        /** 正文 */
        content: string;
        /** 附件 */
        attachmentIds?: string[];
        /** 版本号 */
        version: number;
      };
      responses: {
        200: {
          id: number;
          unitId: number;
          unitName: string;
          /** 公告类型 */
          type: 'notice' | 'policy' | 'document' | 'standard' | 'upload' | 'faq' | 'publicity' | 'eligibility';
          typeLabel: string;
          title: string;
          content: string;
          /** 状态 */
          state: 'draft' | 'published' | 'revoked';
          stateLabel: string;
          createdAt: string;
          updatedAt: string;
          publishedAt: string | null;
          revokedAt: string | null;
          version: number;
          attachments: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 删除公告（仅草稿） */
    delete: {
      params: {
        id: number;
      };
      responses: {
        200: {
          ok: boolean;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/announcements/{id}/publish': {
    /** 发布公告 */
    post: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          unitId: number;
          unitName: string;
          /** 公告类型 */
          type: 'notice' | 'policy' | 'document' | 'standard' | 'upload' | 'faq' | 'publicity' | 'eligibility';
          typeLabel: string;
          title: string;
          content: string;
          /** 状态 */
          state: 'draft' | 'published' | 'revoked';
          stateLabel: string;
          createdAt: string;
          updatedAt: string;
          publishedAt: string | null;
          revokedAt: string | null;
          version: number;
          attachments: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/announcements/{id}/revoke': {
    /** 撤回公告 */
    post: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          unitId: number;
          unitName: string;
          /** 公告类型 */
          type: 'notice' | 'policy' | 'document' | 'standard' | 'upload' | 'faq' | 'publicity' | 'eligibility';
          typeLabel: string;
          title: string;
          content: string;
          /** 状态 */
          state: 'draft' | 'published' | 'revoked';
          stateLabel: string;
          createdAt: string;
          updatedAt: string;
          publishedAt: string | null;
          revokedAt: string | null;
          version: number;
          attachments: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/applicants': {
    /** 本单位（及下级单位）的申报人账号 */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: number;
          username: string;
          login: string;
          displayName: string;
          idNumber: string | null;
          birthDate: string | null;
          sex: string | null;
          phone: string | null;
          unitId: number | null;
          unitName: string | null;
          status: string;
          mustChangePassword: boolean;
          lastLoginAt: string | null;
          loginLockedUntil: string | null;
          createdAt: string;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 为本单位人员开设申报账号（以身份证号登录，返回一次性初始密码） */
    post: {
      body: {
        /** 姓名 */
        displayName: string;
        /** 身份证号码 */
        idNumber: string;
        /** 手机号码 */
        phone: string;
      };
      responses: {
        201: {
          applicant: {
            id: number;
            username: string;
            login: string;
            displayName: string;
            idNumber: string | null;
            birthDate: string | null;
            sex: string | null;
            phone: string | null;
            unitId: number | null;
            unitName: string | null;
            status: string;
            mustChangePassword: boolean;
            lastLoginAt: string | null;
            loginLockedUntil: string | null;
            createdAt: string;
          };
          initialPassword: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/applicants/register': {
    /** 申报人注册（以身份证号登录；一个身份证号只能注册一个账号） */
    post: {
      body: {
        /** 姓名 */
        displayName: string;
        /** 身份证号码 */
        idNumber: string;
        /** 手机号码 */
        phone: string;
        /** 工作单位 */
        employerId?: number;
        /** 属地（无工作单位的非公有制经济组织、社会组织和自由职业专业技术人员） */
        regionCode?: string;
        /** 密码 */
        password: string;
      };
      responses: {
        201: {
          id: number;
          username: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/applicants/{id}/pii': {
    /** 查看完整的身份证号码或手机号码（列表中为脱敏显示；每次查看记入操作审计） */
    get: {
      params: {
        id: number;
      };
      query: {
        /** 查看的字段（idNumber 身份证号码 / phone 手机号码） */
        field?: 'idNumber' | 'phone';
      };
      responses: {
        200: {
          field: 'idNumber' | 'phone';
          value: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/applicants/{id}/reset-password': {
    /** 重置申报人密码（返回一次性初始密码） */
    post: {
      params: {
        id: number;
      };
      responses: {
        200: {
          initialPassword: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/applicants/{id}/unlock': {
    /** 解除申报人的登录锁定（连续 5 次密码错误被锁定 15 分钟），记入操作日志 */
    post: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          username: string;
          login: string;
          displayName: string;
          idNumber: string | null;
          birthDate: string | null;
          sex: string | null;
          phone: string | null;
          unitId: number | null;
          unitName: string | null;
          status: string;
          mustChangePassword: boolean;
          lastLoginAt: string | null;
          loginLockedUntil: string | null;
          createdAt: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/audit-events': {
    /** 操作审计列表（最新在前；筛选：操作人、操作、对象类型、对象编号、所属单位、时间范围；最多翻到第 10000 条，或用 filter.beforeId 续页） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: number;
          createdAt: string;
          actorId: number | null;
          actorName: string;
          actorUnitName: string | null;
          action: string;
          actionName: string;
          targetType: string;
          targetTypeName: string;
          targetId: string;
          unitId: number | null;
          unitName: string | null;
          before: Record<string, unknown> | null;
          after: Record<string, unknown> | null;
          changes: Array<{
            field: string;
            label: string;
            before: string | null;
            after: string | null;
            changed: boolean;
          }>;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/audit-events/catalog': {
    /** 筛选用的操作和对象类型（代码与中文名称） */
    get: {
      responses: {
        200: {
          actions: Array<{
            id: string;
            name: string;
          }>;
          targetTypes: Array<{
            id: string;
            name: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/audit-events/export': {
    /** 导出操作审计（Excel，按当前筛选，最多 10000 条） */
    get: {
      query: {
        filter?: string;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/audit-events/{id}': {
    /** 一条操作记录：变更前后逐字段对照 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          createdAt: string;
          actorId: number | null;
          actorName: string;
          actorUnitName: string | null;
          action: string;
          actionName: string;
          targetType: string;
          targetTypeName: string;
          targetId: string;
          unitId: number | null;
          unitName: string | null;
          before: Record<string, unknown> | null;
          after: Record<string, unknown> | null;
          changes: Array<{
            field: string;
            label: string;
            before: string | null;
            after: string | null;
            changed: boolean;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/auth/captcha': {
    /** 图形验证码（密码错误 2 次后登录须填写；每个验证码只能用一次，5 分钟内有效） */
    get: {
      responses: {
        200: {
          id: string;
          image: string;
          expiresAt: string;
        };
        429: components['schemas']['ApiError'];
      };
    };
  };
  '/api/auth/login': {
    /** 登录（工作人员用账号，申报人可用身份证号）；密码错误 2 次后须填验证码，连续 5 次锁定 15 分钟 */
    post: {
      body: {
        username: string;
        password: string;
        captchaId?: string;
        captcha?: string;
      };
      responses: {
        200: {
          token: string;
          refreshToken: string;
          session: {
            /** 会话闲置多少秒后结束 */
            idleSeconds: number;
            /** 结束前多少秒提醒 */
            warnSeconds: number;
          };
          user: {
            id: number;
            username: string;
            displayName: string;
            unitId: number | null;
            unitName: string | null;
            unitType: string | null;
            unitStatus: string | null;
            adminLevel: string | null;
            roles: Array<{
              key: string;
              name: string;
            }>;
            permissions: string[];
            mustChangePassword: boolean;
            isApplicant: boolean;
          };
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        429: components['schemas']['ApiError'];
      };
    };
  };
  '/api/auth/logout': {
    /** 退出登录：结束当前会话，其访问令牌和刷新令牌立即失效 */
    post: {
      responses: {
        200: {
          ok: true;
        };
        401: components['schemas']['ApiError'];
      };
    };
  };
  '/api/auth/me': {
    /** 当前用户 */
    get: {
      responses: {
        200: {
          id: number;
          username: string;
          displayName: string;
          unitId: number | null;
          unitName: string | null;
          unitType: string | null;
          unitStatus: string | null;
          adminLevel: string | null;
          roles: Array<{
            key: string;
            name: string;
          }>;
          permissions: string[];
          mustChangePassword: boolean;
          isApplicant: boolean;
        };
        401: components['schemas']['ApiError'];
      };
    };
  };
  '/api/auth/password': {
    /** 修改密码（初始密码必须先修改） */
    post: {
      body: {
        oldPassword: string;
        newPassword: string;
      };
      responses: {
        200: {
          token: string;
          refreshToken: string;
          session: {
            /** 会话闲置多少秒后结束 */
            idleSeconds: number;
            /** 结束前多少秒提醒 */
            warnSeconds: number;
          };
          user: {
            id: number;
            username: string;
            displayName: string;
            unitId: number | null;
            unitName: string | null;
            unitType: string | null;
            unitStatus: string | null;
            adminLevel: string | null;
            roles: Array<{
              key: string;
              name: string;
            }>;
            permissions: string[];
            mustChangePassword: boolean;
            isApplicant: boolean;
          };
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/auth/refresh': {
    /** 换取新的访问令牌（刷新令牌只能用一次；已用过的刷新令牌再次出现时整个会话结束） */
    post: {
      body: {
        refreshToken: string;
      };
      responses: {
        200: {
          token: string;
          refreshToken: string;
          session: {
            /** 会话闲置多少秒后结束 */
            idleSeconds: number;
            /** 结束前多少秒提醒 */
            warnSeconds: number;
          };
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        429: components['schemas']['ApiError'];
      };
    };
  };
  '/api/calendar/years': {
    /** 已维护的年份 */
    get: {
      responses: {
        200: Array<{
          year: number;
          source: string;
          published: boolean;
          holidays: number;
          workdays: number;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/calendar/{year}': {
    /** 某年的节假日与调休上班日 */
    get: {
      params: {
        year: number;
      };
      responses: {
        200: {
          year: number;
          source: string;
          published: boolean;
          days: Array<{
            day: string;
            kind: 'holiday' | 'workday';
            name: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 录入或修改某年的安排（国务院办公厅公布后由管理员维护） */
    put: {
      params: {
        year: number;
      };
      body: {
        published: boolean;
        days: Array<{
          day: string;
          kind: 'holiday' | 'workday';
          name: string;
        }>;
      };
      responses: {
        200: {
          year: number;
          published: boolean;
          days: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificate-generations/{ref}': {
    /** 证书批量生成的进度（发证单位） */
    get: {
      params: {
        /** 批次标识，如 issuance-batch:12 */
        ref: string;
      };
      responses: {
        200: {
          ref: string;
          total: number;
          issued: number;
          /** running 生成中 | done 已完成 */
          state: 'running' | 'done';
          /** 上一次失败的原因（会自动重试） */
          lastError: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificate-issuance/batches/{batchId}': {
    /** 发证批次：状态、证书生成进度和人员（分页，personTotal 为总人数） */
    get: {
      params: {
        batchId: number;
      };
      query: {
        page?: number;
        pageSize?: number;
        name?: string;
      };
      responses: {
        200: {
          batch: {
            id: number;
            kind: 'review' | 'initial' | 'delegated';
            kindLabel: string;
            batchNo: string;
            documentNo: string | null;
            committeeName: string | null;
            state: 'pending' | 'generating' | 'issued' | 'discarded';
            stateLabel: string;
            pendingCount: number;
            issuedCount: number;
            cancelledCount: number;
            stampedFile: {
              id: string;
              name: string;
            } | null;
            taskId: string | null;
            generationRef: string | null;
            createdAt: string | null;
            issuedAt: string | null;
          };
          personTotal: number;
          missingIssuingData: number[];
          persons: Array<{
            id: number;
            sourceType: 'dossier' | 'initial';
            sourceId: number;
            dossierId: number | null;
            personName: string;
            idNumber: string;
            gender: string | null;
            employer: string | null;
            series: string | null;
            specialty: string | null;
            level: string | null;
            titleName: string | null;
            committeeName: string | null;
            documentNo: string | null;
            approvalDate: string | null;
            state: 'pending' | 'cancelled' | 'issued';
            stateLabel: string;
            cancelReason: string | null;
            certificateId: number | null;
            certificateNo: string | null;
          }>;
          progress: {
            total: number;
            issued: number;
            state: 'running' | 'done';
            lastError: string | null;
          } | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificate-issuance/batches/{batchId}/cancel': {
    /** 取消发证（须填原因）：评审、委托人员退回评委会，初定人员回到未发放 */
    post: {
      params: {
        batchId: number;
      };
      body: {
        itemIds: number[];
        reason?: string;
      };
      responses: {
        200: {
          cancelled: number;
          remaining: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificate-issuance/batches/{batchId}/certificates': {
    /** 已发放：本批次的证书（分页，可按姓名开头筛选；总数见 Content-Range） */
    get: {
      params: {
        batchId: number;
      };
      query: {
        page?: number;
        pageSize?: number;
        name?: string;
      };
      responses: {
        200: Array<{
          id: number;
          certificateNo: string;
          personName: string;
          idNumber: string;
          series: string;
          specialty: string;
          titleName: string;
          level: string;
          documentNo: string;
          approvalDate: string;
          status: string;
          issuedAt: string | null;
          dossierId: number | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificate-issuance/batches/{batchId}/issue': {
    /** 发证：后台生成本批次证书（进度见 /api/certificate-generations/:ref） */
    post: {
      params: {
        batchId: number;
      };
      responses: {
        200: {
          generationRef: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificate-issuance/batches/{batchId}/issuing-data': {
    /** 生成证书：设置批准时间和职称文件文号（X〔YYYY〕N号，年份与批准时间一致；不选人员则为全部待发证人员） */
    put: {
      params: {
        batchId: number;
      };
      body: {
        itemIds?: number[] | null;
        documentNo: string;
        /** YYYY-MM-DD */
        approvalDate: string;
      };
      responses: {
        200: {
          ok: true;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificate-issuance/batches/{batchId}/stamped-file': {
    /** 上传盖章汇总表（PDF，先通过 /api/files 上传） */
    put: {
      params: {
        batchId: number;
      };
      body: {
        fileId: string;
      };
      responses: {
        200: {
          ok: true;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificate-issuance/batches/{batchId}/summary.pdf': {
    /** 导出汇总表（PDF，线下盖章用） */
    get: {
      params: {
        batchId: number;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/certificate-issuance/batches/{batchId}/summary.xlsx': {
    /** 导出汇总表（Excel） */
    get: {
      params: {
        batchId: number;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/certificate-issuance/delegated/batches': {
    /** 委托发证：为所选人员录入发证信息（批准时间、职称文件文号），进入待发证 */
    post: {
      body: {
        dossierIds: number[];
        documentNo: string;
        /** YYYY-MM-DD */
        approvalDate: string;
      };
      responses: {
        200: {
          batches: Array<{
            id: number;
            batchNo: string;
            documentNo: string | null;
            count: number;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificate-issuance/initial/batches': {
    /** 添加批次：所选初定人员进入同一批次（发放中） */
    post: {
      body: {
        personIds: number[];
      };
      responses: {
        200: {
          id: number;
          batchNo: string;
          count: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificate-issuance/initial/import': {
    /** 导入初定人员（xlsx，先通过 /api/files 上传；有错误的行整份不导入，逐行说明） */
    post: {
      body: {
        fileId: string;
      };
      responses: {
        200: {
          imported: number;
          skipped: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificate-issuance/initial/options': {
    /** 录入初定人员的选项：系列、层级、学历 */
    get: {
      responses: {
        200: {
          series: string[];
          levels: string[];
          education: string[];
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificate-issuance/initial/persons': {
    /** 初定发证“未发放”：录入或导入的初定人员（分页，可按姓名开头筛选；总数见 Content-Range） */
    get: {
      query: {
        page?: number;
        pageSize?: number;
        name?: string;
      };
      responses: {
        200: Array<{
          id: number;
          personName: string;
          idNumber: string;
          gender: string | null;
          series: string;
          specialty: string;
          titleName: string;
          level: string;
          employer: string | null;
          education: string | null;
          state: string;
          cancelReason: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 录入一名初定人员 */
    post: {
      body: {
        personName?: string;
        idNumber?: string;
        gender?: string | null;
        series?: string;
        specialty?: string;
        titleName?: string;
        level?: string;
        employer?: string | null;
        education?: string | null;
      };
      responses: {
        200: {
          id: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificate-issuance/initial/persons/delete': {
    /** 删除所选未发放的初定人员（批量） */
    post: {
      body: {
        personIds: number[];
      };
      responses: {
        200: {
          deleted: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificate-issuance/initial/persons/{personId}': {
    /** 修改一名未发放的初定人员（身份证号留空则不变） */
    put: {
      params: {
        personId: number;
      };
      body: {
        personName?: string;
        idNumber?: string;
        gender?: string | null;
        series?: string;
        specialty?: string;
        titleName?: string;
        level?: string;
        employer?: string | null;
        education?: string | null;
      };
      responses: {
        200: {
          id: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificate-issuance/initial/template': {
    /** 下载初定人员导入模板 */
    get: {
      responses: {
        200: unknown;
      };
    };
  };
  '/api/certificate-issuance/review/approve': {
    /** 评审发证：审核通过所选人员，按职称文件文号每个文号生成一个发证批次（待发放） */
    post: {
      body: {
        dossierIds: number[];
      };
      responses: {
        200: {
          batches: Array<{
            id: number;
            batchNo: string;
            documentNo: string | null;
            count: number;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificate-issuance/{kind}/batches': {
    /** 发证批次列表：待发放（含生成中）或已发放 */
    get: {
      params: {
        /** review 评审发证 | initial 初定发证 | delegated 委托发证 */
        kind: 'review' | 'initial' | 'delegated';
      };
      query: {
        /** pending 待发放（含生成中） | issued 已发放 */
        tab?: 'pending' | 'issued';
      };
      responses: {
        200: Array<{
          id: number;
          kind: 'review' | 'initial' | 'delegated';
          kindLabel: string;
          batchNo: string;
          documentNo: string | null;
          committeeName: string | null;
          state: 'pending' | 'generating' | 'issued' | 'discarded';
          stateLabel: string;
          pendingCount: number;
          issuedCount: number;
          cancelledCount: number;
          stampedFile: {
            id: string;
            name: string;
          } | null;
          taskId: string | null;
          generationRef: string | null;
          createdAt: string | null;
          issuedAt: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificate-issuance/{kind}/pending': {
    /** 评审发证“待处理”（按评审会议分组）/ 委托发证“未处理”（按评委会分组）：评委会提交的发证信息 */
    get: {
      params: {
        kind: 'review' | 'delegated';
      };
      responses: {
        200: Array<{
          key: string;
          meetingId: number | null;
          meetingName: string | null;
          committeeId: number;
          committeeName: string;
          persons: Array<{
            meetingId: number;
            dossierId: number;
            personName: string;
            idNumber: string | null;
            employer: string | null;
            series: string | null;
            specialty: string | null;
            level: string | null;
            titleName: string;
            documentNo: string;
            approvalDate: string;
            handedAt: string | null;
          }>;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificate-keys': {
    /** 本单位的证书签名密钥（公钥、启用和停用时间） */
    get: {
      responses: {
        200: Array<{
          keyId: string;
          unitId: number;
          unitName: string;
          publicKey: string;
          validFrom: string;
          validTo: string | null;
          active: boolean;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificate-keys/rotate': {
    /** 轮换签名密钥：停用当前密钥并生成新密钥（已发放的证书仍可核验）；currentKeyId 为页面上看到的当前密钥，已被轮换时 409 */
    post: {
      body: {
        currentKeyId?: string | null;
      };
      responses: {
        200: {
          keyId: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificates': {
    /** 已发放证书（本单位发放；筛选：kind、q 姓名/身份证号/证书编号、documentNo 文号、from/to 批准日期、status；分页） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: number;
          certificateNo: string;
          kind: string;
          kindLabel: string;
          sourceType: string;
          dossierId: number | null;
          personName: string;
          idNumber: string;
          gender: string | null;
          series: string;
          specialty: string;
          titleName: string;
          level: string;
          committeeName: string | null;
          employerName: string | null;
          issuerName: string;
          approvalDate: string;
          documentNo: string;
          reviewDate: string | null;
          status: string;
          statusLabel: string;
          revokedAt: string | null;
          revokeReason: string | null;
          issuedAt: string;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificates/export': {
    /** 导出已发放证书（Excel，筛选同列表） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/certificates/{id}': {
    /** 证书详情（本单位发放） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          certificateNo: string;
          kind: string;
          kindLabel: string;
          sourceType: string;
          dossierId: number | null;
          personName: string;
          idNumber: string;
          gender: string | null;
          series: string;
          specialty: string;
          titleName: string;
          level: string;
          committeeName: string | null;
          employerName: string | null;
          issuerName: string;
          approvalDate: string;
          documentNo: string;
          reviewDate: string | null;
          status: string;
          statusLabel: string;
          revokedAt: string | null;
          revokeReason: string | null;
          issuedAt: string;
          qrText: string;
          keyId: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/certificates/{id}/pdf': {
    /** 查看证书（PDF，含核验二维码） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/certificates/{id}/review-form.pdf': {
    /** 下载评审表（PDF；网上申报评审产生的证书） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/certificates/{id}/revoke': {
    /** 撤销证书（须填写原因；记入操作日志） */
    post: {
      params: {
        id: number;
      };
      body: {
        reason: string;
      };
      responses: {
        200: {
          id: number;
          certificateNo: string;
          kind: string;
          kindLabel: string;
          sourceType: string;
          dossierId: number | null;
          personName: string;
          idNumber: string;
          gender: string | null;
          series: string;
          specialty: string;
          titleName: string;
          level: string;
          committeeName: string | null;
          employerName: string | null;
          issuerName: string;
          approvalDate: string;
          documentNo: string;
          reviewDate: string | null;
          status: string;
          statusLabel: string;
          revokedAt: string | null;
          revokeReason: string | null;
          issuedAt: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/committees': {
    /** 本单位组建的评委会 */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: number;
          name: string;
          officeAgency: string | null;
          office: string | null;
          organizerUnitId: number;
          organizerName: string;
          reviewType: string | null;
          reviewTypeName: string | null;
          adminLevel: string | null;
          levels: string[];
          levelNames: string[];
          issuerUnitId: number | null;
          issuerName: string | null;
          registrarUnitId: number | null;
          registrarName: string | null;
          contactName: string | null;
          contactPhone: string | null;
          address: string | null;
          internal: boolean;
          allowedNatures: string[];
          allowedNatureNames: string[];
          buildBy: string;
          buildByName: string;
          series: string | null;
          seriesName: string | null;
          specialties: string[];
          reviewRegions: string[];
          reviewRegionNames: string[];
          funded: boolean;
          termYears: number;
          filingStatus: string;
          filingStatusName: string;
          openFiling: {
            id: number;
            status: string;
            statusName: string;
            instanceId: string | null;
          } | null;
          validFrom: string | null;
          validTo: string | null;
          refilingDue: boolean;
          lastApprovedAt: string | null;
          expertsInPool: number;
          version: number;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 新增评委会（组建单位为本单位） */
    post: {
      body: Record<string, unknown>;
      responses: {
        201: {
          id: number;
          name: string;
          officeAgency: string | null;
          office: string | null;
          organizerUnitId: number;
          organizerName: string;
          reviewType: string | null;
          reviewTypeName: string | null;
          adminLevel: string | null;
          levels: string[];
          levelNames: string[];
          issuerUnitId: number | null;
          issuerName: string | null;
          registrarUnitId: number | null;
          registrarName: string | null;
          contactName: string | null;
          contactPhone: string | null;
          address: string | null;
          internal: boolean;
          allowedNatures: string[];
          allowedNatureNames: string[];
          buildBy: string;
          buildByName: string;
          series: string | null;
          seriesName: string | null;
          specialties: string[];
          reviewRegions: string[];
          reviewRegionNames: string[];
          funded: boolean;
          termYears: number;
          filingStatus: string;
          filingStatusName: string;
          openFiling: {
            id: number;
            status: string;
            statusName: string;
            instanceId: string | null;
          } | null;
          validFrom: string | null;
          validTo: string | null;
          refilingDue: boolean;
          lastApprovedAt: string | null;
          expertsInPool: number;
          version: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/committees/export': {
    /** 导出本单位组建的评委会（Excel） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/committees/usable': {
    /** 本单位已备案且在有效期内的评委会（发布评审活动用） */
    get: {
      responses: {
        200: Array<{
          id: number;
          name: string;
          officeAgency: string | null;
          office: string | null;
          organizerUnitId: number;
          organizerName: string;
          reviewType: string | null;
          reviewTypeName: string | null;
          adminLevel: string | null;
          levels: string[];
          levelNames: string[];
          issuerUnitId: number | null;
          issuerName: string | null;
          registrarUnitId: number | null;
          registrarName: string | null;
          contactName: string | null;
          contactPhone: string | null;
          address: string | null;
          internal: boolean;
          allowedNatures: string[];
          allowedNatureNames: string[];
          buildBy: string;
          buildByName: string;
          series: string | null;
          seriesName: string | null;
          specialties: string[];
          reviewRegions: string[];
          reviewRegionNames: string[];
          funded: boolean;
          termYears: number;
          filingStatus: string;
          filingStatusName: string;
          openFiling: {
            id: number;
            status: string;
            statusName: string;
            instanceId: string | null;
          } | null;
          validFrom: string | null;
          validTo: string | null;
          refilingDue: boolean;
          lastApprovedAt: string | null;
          expertsInPool: number;
          version: number;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/committees/{id}': {
    /** 评委会详情与备案记录 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          name: string;
          officeAgency: string | null;
          office: string | null;
          organizerUnitId: number;
          organizerName: string;
          reviewType: string | null;
          reviewTypeName: string | null;
          adminLevel: string | null;
          levels: string[];
          levelNames: string[];
          issuerUnitId: number | null;
          issuerName: string | null;
          registrarUnitId: number | null;
          registrarName: string | null;
          contactName: string | null;
          contactPhone: string | null;
          address: string | null;
          internal: boolean;
          allowedNatures: string[];
          allowedNatureNames: string[];
          buildBy: string;
          buildByName: string;
          series: string | null;
          seriesName: string | null;
          specialties: string[];
          reviewRegions: string[];
          reviewRegionNames: string[];
          funded: boolean;
          termYears: number;
          filingStatus: string;
          filingStatusName: string;
          openFiling: {
            id: number;
            status: string;
            statusName: string;
            instanceId: string | null;
          } | null;
          validFrom: string | null;
          validTo: string | null;
          refilingDue: boolean;
          lastApprovedAt: string | null;
          expertsInPool: number;
          version: number;
          filings: Array<{
            id: number;
            status: string;
            statusName: string;
            instanceId: string | null;
            submittedAt: string;
            submittedByName: string | null;
            decidedAt: string | null;
            validFrom: string | null;
            validTo: string | null;
            expertCount: number;
            requestFiles: Array<{
              id: string;
              name: string;
              size: number;
              mime: string;
            }>;
            opinion: string | null;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 编辑评委会（备案审核中不能修改） */
    put: {
      params: {
        id: number;
      };
      body: {
        version: number;
        [key: string]: unknown;
      };
      responses: {
        200: {
          id: number;
          name: string;
          officeAgency: string | null;
          office: string | null;
          organizerUnitId: number;
          organizerName: string;
          reviewType: string | null;
          reviewTypeName: string | null;
          adminLevel: string | null;
          levels: string[];
          levelNames: string[];
          issuerUnitId: number | null;
          issuerName: string | null;
          registrarUnitId: number | null;
          registrarName: string | null;
          contactName: string | null;
          contactPhone: string | null;
          address: string | null;
          internal: boolean;
          allowedNatures: string[];
          allowedNatureNames: string[];
          buildBy: string;
          buildByName: string;
          series: string | null;
          seriesName: string | null;
          specialties: string[];
          reviewRegions: string[];
          reviewRegionNames: string[];
          funded: boolean;
          termYears: number;
          filingStatus: string;
          filingStatusName: string;
          openFiling: {
            id: number;
            status: string;
            statusName: string;
            instanceId: string | null;
          } | null;
          validFrom: string | null;
          validTo: string | null;
          refilingDue: boolean;
          lastApprovedAt: string | null;
          expertsInPool: number;
          version: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/committees/{id}/achievement-defaults': {
    /** 评委会的业绩成果默认配置（新增评审活动时带入） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          committeeId: number;
          committeeName: string;
          achievements: Array<Record<string, unknown>>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 保存评委会的业绩成果默认配置 */
    put: {
      params: {
        id: number;
      };
      body: {
        /** 业绩成果要求 */
        achievements: Array<{
          /** 序号 */
          order: number;
          /** 展示标题 */
          title: 'papers' | 'before_current' | 'after_current' | 'teaching' | 'teaching_results' | 'teaching_research' | 'achievements' | 'influence' | 'ability' | 'ability_achievements';
          /** 模板类别 */
          templates: Array<'general' | 'patent' | 'award' | 'paper' | 'sci_tech_award' | 'report' | 'book' | 'standard'>;
          /** 业绩要求描述 */
          requirement: string;
        }>;
      };
      responses: {
        200: {
          committeeId: number;
          committeeName: string;
          achievements: Array<Record<string, unknown>>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/committees/{id}/filings': {
    /** 发起备案申请（在待办中上传核准备案请示并提交） */
    post: {
      params: {
        id: number;
      };
      responses: {
        201: {
          instanceId: string;
          filingId: number;
          taskId: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/department-routes': {
    /** 本地区各评委会的主管部门 */
    get: {
      responses: {
        200: Array<{
          id: number;
          committeeId: number;
          committeeName: string;
          organizerName: string;
          series: string | null;
          regionCode: string;
          regionName: string;
          departmentUnitId: number | null;
          departmentName: string | null;
          inheritedDepartmentName: string | null;
          inheritedFrom: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/department-routes/{committeeId}': {
    /** 设置某评委会在本地区的主管部门 */
    put: {
      params: {
        committeeId: number;
      };
      body: {
        departmentUnitId: number;
      };
      responses: {
        200: {
          committeeId: number;
          departmentUnitId: number;
          regionCode: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 取消本地区的设置（回到上级地区的设置或单位隶属关系） */
    delete: {
      params: {
        committeeId: number;
      };
      responses: {
        200: {
          committeeId: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/dossier-chain/overdue': {
    /** 超过 3 个工作日未转报的申报材料 */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: number;
          dossierId: number;
          applicantName: string;
          activityName: string;
          unitId: number;
          unitName: string;
          heldSince: string;
          workingDays: number;
          dueDay: string;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/dossier-queries': {
    /** 计数背后的申报材料（分页、筛选、排序；第 10000 条之后用 X-Next-Cursor 的 cursor 续翻，总数超过 10000 时为 *） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
        cursor?: string;
      };
      responses: {
        200: Array<{
          id: number;
          applicantName: string;
          employerName: string | null;
          regionCode: string | null;
          regionName: string | null;
          committeeId: number | null;
          committeeName: string | null;
          activityId: number;
          activityName: string;
          year: number;
          series: string | null;
          seriesName: string | null;
          level: string | null;
          levelName: string | null;
          specialty: string | null;
          evaluationMethod: string;
          evaluationMethodName: string;
          status: string;
          statusName: string;
          instanceId: string | null;
          submittedAt: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/dossier-queries/export': {
    /** 导出申报材料（Excel，最多 20000 条） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/dossier-queries/options': {
    /** 筛选项：本单位组建的评委会及其评审活动，评价方式、系列、层级、状态 */
    get: {
      responses: {
        200: {
          committees: Array<{
            id: number;
            name: string;
            activities: Array<{
              id: number;
              name: string;
              year: number;
            }>;
          }>;
          evaluationMethods: Array<{
            id: string;
            name: string;
          }>;
          series: Array<{
            id: string;
            name: string;
          }>;
          levels: Array<{
            id: string;
            name: string;
          }>;
          statuses: Array<{
            id: string;
            name: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/dossier-queries/summary': {
    /** 本单位组建的评委会的申报、接收、通过人数（按评委会，可筛选） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: {
          totals: {
            declared: number;
            reviewing: number;
            returned: number;
            rejected: number;
            received: number;
            passed: number;
          };
          committees: Array<{
            declared: number;
            reviewing: number;
            returned: number;
            rejected: number;
            received: number;
            passed: number;
            id: number;
            committeeName: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/dossiers/mine': {
    /** 我的申报：状态、当前办理单位、最近意见和提交截止时间 */
    get: {
      responses: {
        200: Array<{
          id: number;
          activityId: number;
          activityName: string;
          year: number;
          status: string;
          statusLabel: string;
          instanceId: string | null;
          submittedAt: string | null;
          currentSteps: Array<{
            taskId: string;
            name: string;
            unitId: number | null;
            unitName: string | null;
            level: string | null;
            mine: boolean;
            dueAt: string | null;
            workingDaysLeft: number | null;
            overdue: boolean;
          }>;
          lastOpinion: {
            step: string | null;
            action: string | null;
            opinion: string | null;
            at: string;
          } | null;
          deadline: {
            label: string;
            at: string;
            passed: boolean;
          } | null;
          result: {
            code: string;
            label: string;
            stage: string | null;
            stageLabel: string | null;
            reason: string | null;
            at: string;
            documentNo: string | null;
            /** 电子证书编号（证书发放后） */
            certificateNo?: string;
          } | null;
        }>;
        401: components['schemas']['ApiError'];
      };
    };
  };
  '/api/dossiers/mine/meeting-notices': {
    /** 我的申报的答辩通知和笔试结果 */
    get: {
      responses: {
        200: Array<{
          dossierId: number;
          meetingId: number;
          meetingName: string;
          resultLabel: string | null;
          exam: {
            score: number | null;
            passed: boolean | null;
            resultLabel: string;
          } | null;
          defense: {
            date: string;
            arrivalTime: string;
            address: string;
            signInDesk: string;
            orderNo: number;
            room: string;
            version: number;
          } | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/dossiers/{id}': {
    /** 申报进度：当前办理单位与层级、各环节意见、退回的问题、提交截止时间 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          activityId: number;
          activityName: string;
          committeeName: string;
          applicantName: string;
          unitName: string | null;
          status: string;
          statusLabel: string;
          instanceId: string | null;
          submittedAt: string | null;
          holders: Array<{
            taskId: string;
            name: string;
            unitId: number | null;
            unitName: string | null;
            level: string | null;
            mine: boolean;
            dueAt: string | null;
            workingDaysLeft: number | null;
            overdue: boolean;
          }>;
          opinions: Array<{
            step: string;
            unitName: string | null;
            level: string | null;
            actorName: string | null;
            action: string;
            actionLabel: string;
            opinion: string | null;
            at: string;
          }>;
          defects: {
            step: string;
            unitName: string | null;
            level: string | null;
            actorName: string | null;
            opinion: string | null;
            at: string;
            items: string[];
          } | null;
          deadline: {
            label: string;
            at: string;
            passed: boolean;
          } | null;
          submitTaskId: string | null;
          canSetRevisionDeadline: boolean;
          result: {
            code: string;
            label: string;
            stage: string | null;
            stageLabel: string | null;
            reason: string | null;
            at: string;
            documentNo: string | null;
            /** 电子证书编号（证书发放后） */
            certificateNo?: string;
          } | null;
        };
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
      };
    };
  };
  '/api/dossiers/{id}/case': {
    /** 申报材料全文：按栏目（基本信息、学历、工作经历、继续教育、业绩成果、资格证书、工作总结、附件）查看；重新提交后附修改痕迹 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          dossierId: number;
          activityName: string;
          committeeName: string;
          applicantName: string;
          unitName: string | null;
          status: string;
          statusLabel: string;
          submittedAt: string | null;
          version: 'submitted' | 'returned' | 'draft';
          versionLabel: string;
          sections: Array<{
            key: string;
            title: string;
            fields: Array<{
              key: string;
              label: string;
              text: string | null;
              files: Array<{
                id: string;
                name: string;
                size: number;
                mime: string;
              }>;
              long: boolean;
              changed: boolean;
            }>;
            groups: Array<{
              key: string;
              title: string | null;
              note: string | null;
              layout: 'table' | 'cards';
              entries: Array<{
                key: string;
                title: string | null;
                fields: Array<{
                  key: string;
                  label: string;
                  text: string | null;
                  files: Array<{
                    id: string;
                    name: string;
                    size: number;
                    mime: string;
                  }>;
                  long: boolean;
                  changed: boolean;
                }>;
                changed: boolean;
                added: boolean;
              }>;
            }>;
            changed: boolean;
          }>;
          changes: {
            returnedAt: string;
            resubmittedAt: string | null;
            items: Array<{
              section: string;
              label: string;
              kind: 'changed' | 'added' | 'removed' | 'fileAdded' | 'fileRemoved';
              before: string | null;
              after: string | null;
              text: string;
            }>;
          } | null;
        };
        401: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
      };
    };
  };
  '/api/dossiers/{id}/declaration': {
    /** 申报材料填写：评审活动的业绩成果、破格、申报材料要求和已保存的草稿 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          dossierId: number;
          status: string;
          statusLabel: string;
          applicant: {
            name: string;
            idNumber: string | null;
            unitName: string | null;
            gender: 'male' | 'female' | null;
            genderLabel: string | null;
            birthDate: string | null;
          };
          activity: {
            id: number;
            name: string;
            committeeName: string;
            series: string[];
            levels: string[];
            specialties: string[];
            minContinuingEducationHours: number;
            achievements: Array<{
              order: number;
              title: string;
              templates: string[];
              requirement: string;
            }>;
            breakthrough: boolean;
            breakthroughConditions: Array<{
              name: string;
              description?: string;
            }>;
            materials: Array<{
              name: string;
              required: boolean;
              maxFiles: number;
              description?: string;
            }>;
          };
          templates: Array<{
            key: string;
            label: string;
            fields: Array<{
              key: string;
              label: string;
              type: string;
              required: boolean;
            }>;
          }>;
          data: Record<string, unknown>;
          draftSavedAt: string | null;
          deadline: {
            label: string;
            at: string;
            passed: boolean;
          } | null;
          submitTaskId: string | null;
          editable: boolean;
        };
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
      };
    };
  };
  '/api/dossiers/{id}/draft': {
    /** 保存草稿（随时保存，不校验完整性；附件只需上传一次） */
    put: {
      params: {
        id: number;
      };
      body: {
        data: Record<string, unknown>;
      };
      responses: {
        200: {
          dossierId: number;
          status: string;
          statusLabel: string;
          applicant: {
            name: string;
            idNumber: string | null;
            unitName: string | null;
            gender: 'male' | 'female' | null;
            genderLabel: string | null;
            birthDate: string | null;
          };
          activity: {
            id: number;
            name: string;
            committeeName: string;
            series: string[];
            levels: string[];
            specialties: string[];
            minContinuingEducationHours: number;
            achievements: Array<{
              order: number;
              title: string;
              templates: string[];
              requirement: string;
            }>;
            breakthrough: boolean;
            breakthroughConditions: Array<{
              name: string;
              description?: string;
            }>;
            materials: Array<{
              name: string;
              required: boolean;
              maxFiles: number;
              description?: string;
            }>;
          };
          templates: Array<{
            key: string;
            label: string;
            fields: Array<{
              key: string;
              label: string;
              type: string;
              required: boolean;
            }>;
          }>;
          data: Record<string, unknown>;
          draftSavedAt: string | null;
          deadline: {
            label: string;
            at: string;
            passed: boolean;
          } | null;
          submitTaskId: string | null;
          editable: boolean;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/dossiers/{id}/meeting-notices': {
    /** 申报的答辩通知和笔试结果（申报人、审核链上的单位、评委会） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: Array<{
          dossierId: number;
          meetingId: number;
          meetingName: string;
          resultLabel: string | null;
          exam: {
            score: number | null;
            passed: boolean | null;
            resultLabel: string;
          } | null;
          defense: {
            date: string;
            arrivalTime: string;
            address: string;
            signInDesk: string;
            orderNo: number;
            room: string;
            version: number;
          } | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/dossiers/{id}/pii': {
    /** 查看完整：申报人的身份证号码或联系电话（申报材料中为脱敏显示；每次查看记入操作审计） */
    get: {
      params: {
        id: number;
      };
      query: {
        /** 查看的字段（idNumber 身份证号码 / phone 手机号码） */
        field?: 'idNumber' | 'phone';
      };
      responses: {
        200: {
          field: 'idNumber' | 'phone';
          value: string | null;
        };
        401: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
      };
    };
  };
  '/api/dossiers/{id}/review-form.pdf': {
    /** 打印评审表（PDF）：申报人本人和审核链上的单位可下载 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/dossiers/{id}/revision-deadline': {
    /** 退回单位设置申报人的修改提交截止时间（与评委会设置的修改截止时间无关） */
    put: {
      params: {
        id: number;
      };
      body: {
        at: string;
      };
      responses: {
        200: {
          at: string;
          label: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/engine/stats': {
    /** 本进程的流程引擎统计：步骤数、内存命中、从存储恢复、单语句写入、冲突重试 */
    get: {
      responses: {
        200: {
          pid: number;
          cachedInstances: number;
          steps: number;
          cacheHits: number;
          recovers: number;
          singleStatementSteps: number;
          staleRetries: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/expert-imports/template': {
    /** 下载专家导入模板（Excel：表头说明、下拉选项、示例行） */
    get: {
      responses: {
        200: unknown;
      };
    };
  };
  '/api/expert-imports/{id}': {
    /** 检验结果概况 */
    get: {
      params: {
        id: string;
      };
      responses: {
        200: {
          id: string;
          committeeId: number;
          fileId: string;
          fileName: string;
          total: number;
          goodCount: number;
          badCount: number;
          status: string;
          statusName: string;
          createdAt: string;
          importedAt: string | null;
          importedCount: number | null;
          skipped: Array<{
            row: number;
            name: string;
            idNumber: string;
            message: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/expert-imports/{id}/bad': {
    /** 检验错误的数据（分页，每行列出出错的单元格和原因） */
    get: {
      params: {
        id: string;
      };
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          row: number;
          values: Record<string, string>;
          errors: Array<{
            column: string;
            field: string;
            message: string;
          }>;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/expert-imports/{id}/confirm': {
    /** 导入正确数据：确认后把检验正确的行导入为新增待提交（一次，整体成功或失败） */
    post: {
      params: {
        id: string;
      };
      body: {
        importGoodRows: true;
      };
      responses: {
        200: {
          id: string;
          committeeId: number;
          fileId: string;
          fileName: string;
          total: number;
          goodCount: number;
          badCount: number;
          status: string;
          statusName: string;
          createdAt: string;
          importedAt: string | null;
          importedCount: number | null;
          skipped: Array<{
            row: number;
            name: string;
            idNumber: string;
            message: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/expert-imports/{id}/errors': {
    /** 下载错误数据（出错的单元格标红并批注原因，修改后可重新导入） */
    get: {
      params: {
        id: string;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/expert-imports/{id}/good': {
    /** 检验正确的数据（分页） */
    get: {
      params: {
        id: string;
      };
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          row: number;
          name: string;
          idNumber: string;
          sexName: string | null;
          birthMonth: string | null;
          age: number | null;
          employer: string;
          post: string;
          phone1: string;
          specialty: string;
          currentTitle: string;
          seriesName: string | null;
          postLevelName: string | null;
          regionName: string | null;
          retired: boolean;
          isChair: boolean;
          isViceChair: boolean;
          active: boolean;
          [key: string]: unknown;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/expert-pools': {
    /** 专家库列表：本单位组建（管理）、备案（审核）或可推荐专家的评委会，含在库、待审等人数 */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: number;
          name: string;
          series: string | null;
          seriesName: string | null;
          levels: string[];
          levelNames: string[];
          organizerUnitId: number;
          organizerName: string;
          registrarUnitId: number | null;
          registrarName: string | null;
          roles: {
            manage: boolean;
            review: boolean;
            recommend: boolean;
          };
          counts: {
            draft: number;
            recommended: number;
            pending: number;
            inPool: number;
            returned: number;
            activeInPool: number;
          };
          chairs: string[];
          viceChairs: string[];
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/expert-pools/{committeeId}': {
    /** 一个评委会的专家库概况 */
    get: {
      params: {
        committeeId: number;
      };
      responses: {
        200: {
          id: number;
          name: string;
          series: string | null;
          seriesName: string | null;
          levels: string[];
          levelNames: string[];
          organizerUnitId: number;
          organizerName: string;
          registrarUnitId: number | null;
          registrarName: string | null;
          roles: {
            manage: boolean;
            review: boolean;
            recommend: boolean;
          };
          counts: {
            draft: number;
            recommended: number;
            pending: number;
            inPool: number;
            returned: number;
            activeInPool: number;
          };
          chairs: string[];
          viceChairs: string[];
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/expert-pools/{committeeId}/experts': {
    /** 评委会的专家：组建单位看全部，备案单位看提交审核的，推荐单位看本单位推荐的（filter.status 按状态） */
    get: {
      params: {
        committeeId: number;
      };
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: number;
          committeeId: number;
          committeeName: string;
          name: string;
          idNumber: string;
          sex: string;
          sexName: string;
          birthMonth: string;
          age: number | null;
          retired: boolean;
          employer: string;
          department: string | null;
          post: string;
          postLevel: string | null;
          postLevelName: string | null;
          phone1: string;
          phone2: string | null;
          honours: string;
          series: string | null;
          seriesName: string | null;
          specialty: string;
          currentTitle: string;
          isChair: boolean;
          isViceChair: boolean;
          active: boolean;
          regionCode: string | null;
          regionName: string | null;
          status: string;
          statusName: string;
          recommendedByUnitId: number | null;
          recommendedByUnitName: string | null;
          returnedStage: string | null;
          returnedStageName: string | null;
          returnedReason: string | null;
          returnedByUnitName: string | null;
          returnedAt: string | null;
          createdAt: string;
          updatedAt: string;
          version: number;
          reviewStepId: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 新增专家（新增待提交） */
    post: {
      params: {
        committeeId: number;
      };
      body: {
        /** 姓名 */
        name: string;
        /** 证件号码：居民身份证号码（18 位）；性别、出生日期和年龄由证件号码得出 */
        idNumber: string;
        /** 性别：可不填：由证件号码得出 */
        sex?: 'male' | 'female';
        /** 出生日期：格式 yyyyMM；可不填：由证件号码得出 */
        birthMonth?: string;
        /** 是否退休 */
        retired?: boolean;
        /** 工作单位 */
        employer: string;
        /** 主管单位 */
        department?: string;
        /** 行政职务：没有行政职务的填“无” */
        post: string;
        /** 行政职务级别 */
        postLevel?: 'provincial' | 'bureau_chief' | 'bureau_deputy' | 'division_chief' | 'division_deputy' | 'section_chief' | 'section_deputy' | 'none';
        /** 联系电话1 */
        phone1: string;
        /** 联系电话2 */
        phone2?: string;
        /** 所获荣誉、称号：没有的填“无” */
        honours: string;
        /** 现专业技术系列 */
        series?: 'engineering' | 'agriculture' | 'health' | 'school_teacher' | 'vocational_teacher' | 'university_teacher' | 'economics' | 'accounting' | 'statistics' | 'auditing' | 'journalism' | 'publishing' | 'translation' | 'arts' | 'library' | 'museum' | 'archives' | 'crafts' | 'technical_school_teacher' | 'sports' | 'lab' | 'research' | 'social_work' | 'mass_culture';
        /** 现从事专业：专家抽选按现从事专业分组 */
        specialty: string;
        /** 现职称：如：高级工程师、正高级工程师 */
        currentTitle: string;
        /** 主任委员 */
        isChair?: boolean;
        /** 副主任委员 */
        isViceChair?: boolean;
        /** 是否活跃：不活跃的专家不参加专家抽选 */
        active?: boolean;
        /** 所在地区 */
        regionCode?: string;
      };
      responses: {
        201: {
          id: number;
          committeeId: number;
          committeeName: string;
          name: string;
          idNumber: string;
          sex: string;
          sexName: string;
          birthMonth: string;
          age: number | null;
          retired: boolean;
          employer: string;
          department: string | null;
          post: string;
          postLevel: string | null;
          postLevelName: string | null;
          phone1: string;
          phone2: string | null;
          honours: string;
          series: string | null;
          seriesName: string | null;
          specialty: string;
          currentTitle: string;
          isChair: boolean;
          isViceChair: boolean;
          active: boolean;
          regionCode: string | null;
          regionName: string | null;
          status: string;
          statusName: string;
          recommendedByUnitId: number | null;
          recommendedByUnitName: string | null;
          returnedStage: string | null;
          returnedStageName: string | null;
          returnedReason: string | null;
          returnedByUnitName: string | null;
          returnedAt: string | null;
          createdAt: string;
          updatedAt: string;
          version: number;
          reviewStepId: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/expert-pools/{committeeId}/imports': {
    /** 数据检验：检验已上传（/api/files）的导入文件，返回正确和错误的行数；确认前不导入 */
    post: {
      params: {
        committeeId: number;
      };
      body: {
        fileId: string;
      };
      responses: {
        201: {
          id: string;
          committeeId: number;
          fileId: string;
          fileName: string;
          total: number;
          goodCount: number;
          badCount: number;
          status: string;
          statusName: string;
          createdAt: string;
          importedAt: string | null;
          importedCount: number | null;
          skipped: Array<{
            row: number;
            name: string;
            idNumber: string;
            message: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/expert-pools/{committeeId}/recommendations': {
    /** 推荐专家（下级单位向上级单位组建的评委会推荐） */
    post: {
      params: {
        committeeId: number;
      };
      body: {
        /** 姓名 */
        name: string;
        /** 证件号码：居民身份证号码（18 位）；性别、出生日期和年龄由证件号码得出 */
        idNumber: string;
        /** 性别：可不填：由证件号码得出 */
        sex?: 'male' | 'female';
        /** 出生日期：格式 yyyyMM；可不填：由证件号码得出 */
        birthMonth?: string;
        /** 是否退休 */
        retired?: boolean;
        /** 工作单位 */
        employer: string;
        /** 主管单位 */
        department?: string;
        /** 行政职务：没有行政职务的填“无” */
        post: string;
        /** 行政职务级别 */
        postLevel?: 'provincial' | 'bureau_chief' | 'bureau_deputy' | 'division_chief' | 'division_deputy' | 'section_chief' | 'section_deputy' | 'none';
        /** 联系电话1 */
        phone1: string;
        /** 联系电话2 */
        phone2?: string;
        /** 所获荣誉、称号：没有的填“无” */
        honours: string;
        /** 现专业技术系列 */
        series?: 'engineering' | 'agriculture' | 'health' | 'school_teacher' | 'vocational_teacher' | 'university_teacher' | 'economics' | 'accounting' | 'statistics' | 'auditing' | 'journalism' | 'publishing' | 'translation' | 'arts' | 'library' | 'museum' | 'archives' | 'crafts' | 'technical_school_teacher' | 'sports' | 'lab' | 'research' | 'social_work' | 'mass_culture';
        /** 现从事专业：专家抽选按现从事专业分组 */
        specialty: string;
        /** 现职称：如：高级工程师、正高级工程师 */
        currentTitle: string;
        /** 主任委员 */
        isChair?: boolean;
        /** 副主任委员 */
        isViceChair?: boolean;
        /** 是否活跃：不活跃的专家不参加专家抽选 */
        active?: boolean;
        /** 所在地区 */
        regionCode?: string;
      };
      responses: {
        201: {
          id: number;
          committeeId: number;
          committeeName: string;
          name: string;
          idNumber: string;
          sex: string;
          sexName: string;
          birthMonth: string;
          age: number | null;
          retired: boolean;
          employer: string;
          department: string | null;
          post: string;
          postLevel: string | null;
          postLevelName: string | null;
          phone1: string;
          phone2: string | null;
          honours: string;
          series: string | null;
          seriesName: string | null;
          specialty: string;
          currentTitle: string;
          isChair: boolean;
          isViceChair: boolean;
          active: boolean;
          regionCode: string | null;
          regionName: string | null;
          status: string;
          statusName: string;
          recommendedByUnitId: number | null;
          recommendedByUnitName: string | null;
          returnedStage: string | null;
          returnedStageName: string | null;
          returnedReason: string | null;
          returnedByUnitName: string | null;
          returnedAt: string | null;
          createdAt: string;
          updatedAt: string;
          version: number;
          reviewStepId: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/expert-pools/{committeeId}/recommendations/resubmit': {
    /** 重新推荐被组建单位退回的专家（批量） */
    post: {
      params: {
        committeeId: number;
      };
      body: {
        ids: number[];
      };
      responses: {
        200: {
          count: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/expert-pools/{committeeId}/recommendations/review': {
    /** 审核下级推荐的专家（批量）：通过后进入新增待提交，退回须填原因 */
    post: {
      params: {
        committeeId: number;
      };
      body: {
        ids: number[];
        action: 'pass' | 'return';
        opinion?: string | null;
      };
      responses: {
        200: {
          count: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/expert-pools/{committeeId}/review': {
    /** 专家库审核（备案单位，批量）：通过入库，退回须填原因；stepIds 为列表显示的审核环节，环节已变化时 409 */
    post: {
      params: {
        committeeId: number;
      };
      body: {
        ids: number[];
        action: 'pass' | 'return';
        opinion?: string | null;
        stepIds?: string[];
      };
      responses: {
        200: {
          count: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/expert-pools/{committeeId}/submit': {
    /** 提交专家（批量）：新增待提交和备案单位退回的专家提交备案单位审核 */
    post: {
      params: {
        committeeId: number;
      };
      body: {
        ids: number[];
      };
      responses: {
        200: {
          count: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/expert/meetings': {
    /** 专家端：本账号可参加的评审会议 */
    get: {
      responses: {
        200: Array<{
          id: number;
          name: string;
          kind: string;
          status: string;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/expert/meetings/{meetingId}': {
    /** 专家端：本轮参评人员（按会议顺序）、我的表决票、评分标准和评审材料 */
    get: {
      params: {
        meetingId: number;
      };
      responses: {
        200: {
          meeting: {
            id: number;
            name: string;
            kind: string;
            status: string;
            activityName: string;
            committeeName: string;
          };
          expert: {
            expertId: number;
            name: string;
            panelName: string | null;
          };
          round: {
            id: number;
            kind: string;
            label: string;
            method: 'vote' | 'score';
            methodLabel: string;
          } | null;
          ballot: {
            status: string;
            statusLabel: string;
            submittedAt: string | null;
            editable: boolean;
          } | null;
          candidates: Array<{
            dossierId: number;
            orderNo: number;
            applicantName: string;
            employerName: string | null;
            panelName: string | null;
            choice: 'agree' | 'disagree' | 'abstain' | null;
            score: number | null;
            panelScore: number | null;
          }>;
          scoring: {
            items: Array<{
              name: string;
              maxPoints: number;
              description: string | null;
            }>;
            maxTotal: number;
          };
          materials: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/expert/meetings/{meetingId}/ballot': {
    /** 专家端：保存表决（草稿，可多次保存） */
    put: {
      params: {
        meetingId: number;
      };
      body: {
        votes: Array<{
          dossierId: number;
          choice?: 'agree' | 'disagree' | 'abstain' | null;
          score?: number | null;
        }>;
      };
      responses: {
        200: {
          status: string;
          statusLabel: string;
          saved: number;
          submittedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/expert/meetings/{meetingId}/ballot/submit': {
    /** 专家端：提交表决票（可同时带上未保存的表决）；每名参评人员都须表决，只能提交一次 */
    post: {
      params: {
        meetingId: number;
      };
      body: {
        votes?: Array<{
          dossierId: number;
          choice?: 'agree' | 'disagree' | 'abstain' | null;
          score?: number | null;
        }>;
      };
      responses: {
        200: {
          status: string;
          statusLabel: string;
          saved: number;
          submittedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/experts/id-info': {
    /** 由证件号码得出性别、出生日期和年龄（填写专家信息时显示） */
    get: {
      query: {
        idNumber: string;
      };
      responses: {
        200: {
          valid: boolean;
          reason: string | null;
          sex: string | null;
          sexName: string | null;
          birthMonth: string | null;
          age: number | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/experts/{id}': {
    /** 查看专家信息（含办理记录） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          committeeId: number;
          committeeName: string;
          name: string;
          idNumber: string;
          sex: string;
          sexName: string;
          birthMonth: string;
          age: number | null;
          retired: boolean;
          employer: string;
          department: string | null;
          post: string;
          postLevel: string | null;
          postLevelName: string | null;
          phone1: string;
          phone2: string | null;
          honours: string;
          series: string | null;
          seriesName: string | null;
          specialty: string;
          currentTitle: string;
          isChair: boolean;
          isViceChair: boolean;
          active: boolean;
          regionCode: string | null;
          regionName: string | null;
          status: string;
          statusName: string;
          recommendedByUnitId: number | null;
          recommendedByUnitName: string | null;
          returnedStage: string | null;
          returnedStageName: string | null;
          returnedReason: string | null;
          returnedByUnitName: string | null;
          returnedAt: string | null;
          createdAt: string;
          updatedAt: string;
          version: number;
          reviewStepId: string | null;
          roles: {
            manage: boolean;
            review: boolean;
            recommend: boolean;
          };
          events: Array<{
            action: string;
            actionName: string;
            actorName: string | null;
            opinion: string | null;
            createdAt: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 修改专家信息（组建单位：新增待提交、备案单位退回的；推荐单位：本单位推荐且未通过的） */
    put: {
      params: {
        id: number;
      };
      body: {
        /** 姓名 */
        name: string;
        /** 证件号码：居民身份证号码（18 位）；性别、出生日期和年龄由证件号码得出 */
        idNumber: string;
        /** 性别：可不填：由证件号码得出 */
        sex?: 'male' | 'female';
        /** 出生日期：格式 yyyyMM；可不填：由证件号码得出 */
        birthMonth?: string;
        /** 是否退休 */
        retired?: boolean;
        /** 工作单位 */
        employer: string;
        /** 主管单位 */
        department?: string;
        /** 行政职务：没有行政职务的填“无” */
        post: string;
        /** 行政职务级别 */
        postLevel?: 'provincial' | 'bureau_chief' | 'bureau_deputy' | 'division_chief' | 'division_deputy' | 'section_chief' | 'section_deputy' | 'none';
        /** 联系电话1 */
        phone1: string;
        /** 联系电话2 */
        phone2?: string;
        /** 所获荣誉、称号：没有的填“无” */
        honours: string;
        /** 现专业技术系列 */
        series?: 'engineering' | 'agriculture' | 'health' | 'school_teacher' | 'vocational_teacher' | 'university_teacher' | 'economics' | 'accounting' | 'statistics' | 'auditing' | 'journalism' | 'publishing' | 'translation' | 'arts' | 'library' | 'museum' | 'archives' | 'crafts' | 'technical_school_teacher' | 'sports' | 'lab' | 'research' | 'social_work' | 'mass_culture';
        /** 现从事专业：专家抽选按现从事专业分组 */
        specialty: string;
        /** 现职称：如：高级工程师、正高级工程师 */
        currentTitle: string;
        /** 主任委员 */
        isChair?: boolean;
        /** 副主任委员 */
        isViceChair?: boolean;
        /** 是否活跃：不活跃的专家不参加专家抽选 */
        active?: boolean;
        /** 所在地区 */
        regionCode?: string;
        version: number;
      };
      responses: {
        200: {
          id: number;
          committeeId: number;
          committeeName: string;
          name: string;
          idNumber: string;
          sex: string;
          sexName: string;
          birthMonth: string;
          age: number | null;
          retired: boolean;
          employer: string;
          department: string | null;
          post: string;
          postLevel: string | null;
          postLevelName: string | null;
          phone1: string;
          phone2: string | null;
          honours: string;
          series: string | null;
          seriesName: string | null;
          specialty: string;
          currentTitle: string;
          isChair: boolean;
          isViceChair: boolean;
          active: boolean;
          regionCode: string | null;
          regionName: string | null;
          status: string;
          statusName: string;
          recommendedByUnitId: number | null;
          recommendedByUnitName: string | null;
          returnedStage: string | null;
          returnedStageName: string | null;
          returnedReason: string | null;
          returnedByUnitName: string | null;
          returnedAt: string | null;
          createdAt: string;
          updatedAt: string;
          version: number;
          reviewStepId: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/experts/{id}/flags': {
    /** 修改在库专家的活跃、主任委员、副主任委员标记 */
    post: {
      params: {
        id: number;
      };
      body: {
        version: number;
        active?: boolean;
        isChair?: boolean;
        isViceChair?: boolean;
      };
      responses: {
        200: {
          id: number;
          committeeId: number;
          committeeName: string;
          name: string;
          idNumber: string;
          sex: string;
          sexName: string;
          birthMonth: string;
          age: number | null;
          retired: boolean;
          employer: string;
          department: string | null;
          post: string;
          postLevel: string | null;
          postLevelName: string | null;
          phone1: string;
          phone2: string | null;
          honours: string;
          series: string | null;
          seriesName: string | null;
          specialty: string;
          currentTitle: string;
          isChair: boolean;
          isViceChair: boolean;
          active: boolean;
          regionCode: string | null;
          regionName: string | null;
          status: string;
          statusName: string;
          recommendedByUnitId: number | null;
          recommendedByUnitName: string | null;
          returnedStage: string | null;
          returnedStageName: string | null;
          returnedReason: string | null;
          returnedByUnitName: string | null;
          returnedAt: string | null;
          createdAt: string;
          updatedAt: string;
          version: number;
          reviewStepId: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/experts/{id}/remove': {
    /** 删除未提交（或被退回）的专家；记录保留 */
    post: {
      params: {
        id: number;
      };
      body: {
        version: number;
      };
      responses: {
        204: null;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/files': {
    /** 上传附件（multipart，可多个，单个不超过 20 MB）：按内容识别类型，可执行程序、网页和无法识别的文件一律拒绝 */
    post: {
      query: {
        /** 表单字段名：错误信息以它命名，同一字段重复提交同一文件只存一份 */
        field?: string;
        /** 字段允许的扩展名（如 .pdf,.jpg,.png）：按文件内容判断，内容不符即拒绝 */
        accept?: string;
      };
      responses: {
        201: Array<{
          id: string;
          name: string;
          mime: string;
          size: number;
          sha256: string;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
      };
    };
  };
  '/api/files/{id}': {
    /** 下载附件 */
    get: {
      params: {
        id: string;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/forms': {
    /** 全部表单（键、标题、可用的办理动作） */
    get: {
      responses: {
        200: Array<{
          id: string;
          title: string;
          actions: Record<string, string>;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/forms/{key}': {
    /** 表单定义（JSON Schema，含中文标签、控件、选项、必填项与说明） */
    get: {
      params: {
        key: string;
      };
      responses: {
        200: Record<string, unknown>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/forwarded-dossiers': {
    /** 本单位审核通过并报送的申报人（分页、筛选、排序；可用 X-Next-Cursor 的 cursor 续翻） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
        cursor?: string;
      };
      responses: {
        200: Array<{
          id: number;
          applicantName: string;
          employerName: string | null;
          regionCode: string | null;
          regionName: string | null;
          committeeId: number | null;
          committeeName: string | null;
          activityId: number;
          activityName: string;
          year: number;
          series: string | null;
          seriesName: string | null;
          level: string | null;
          levelName: string | null;
          specialty: string | null;
          evaluationMethod: string;
          evaluationMethodName: string;
          status: string;
          statusName: string;
          instanceId: string | null;
          submittedAt: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/forwarded-dossiers/{id}/changes': {
    /** 评价方式与层级的修改记录 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: Array<{
          id: number;
          unitName: string | null;
          actorName: string;
          before: {
            evaluationMethod: string;
            evaluationMethodName: string;
            level: string | null;
            levelName: string | null;
          };
          after: {
            evaluationMethod: string;
            evaluationMethodName: string;
            level: string | null;
            levelName: string | null;
          };
          reason: string | null;
          createdAt: string;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 修改评价方式与申报层级（记录在修改记录和经办流程中） */
    post: {
      params: {
        id: number;
      };
      body: {
        evaluationMethod?: 'normal' | 'breakthrough' | 'transfer' | 're_review';
        level?: 'senior_full' | 'senior_deputy' | 'intermediate' | 'junior';
        reason?: string | null;
      };
      responses: {
        200: {
          id: number;
          applicantName: string;
          employerName: string | null;
          regionCode: string | null;
          regionName: string | null;
          committeeId: number | null;
          committeeName: string | null;
          activityId: number;
          activityName: string;
          year: number;
          series: string | null;
          seriesName: string | null;
          level: string | null;
          levelName: string | null;
          specialty: string | null;
          evaluationMethod: string;
          evaluationMethodName: string;
          status: string;
          statusName: string;
          instanceId: string | null;
          submittedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/health': {
    /** 运行状态 */
    get: {
      responses: {
        200: {
          status: 'ok' | 'degraded';
          database: 'pglite' | 'postgresql';
          processes: Array<{
            key: string;
            version: number;
          }>;
          unusedKeys: {
            handlers: string[];
            checks: string[];
            startHooks: string[];
            cancelHooks: string[];
            jobs: Array<{
              name: string;
              missing: string[];
            }>;
          };
        };
        503: {
          status: 'down';
          database: 'pglite' | 'postgresql';
          message: string;
        };
      };
    };
  };
  '/api/history-bodies': {
    /** 历史评审机构列表（本单位维护的） */
    get: {
      responses: {
        200: Array<{
          id: number;
          name: string;
          series: string[];
          seriesLabels: string[];
          levels: string[];
          levelLabels: string[];
          units: Array<{
            id: number;
            name: string;
          }>;
          status: 'active' | 'disabled';
          version: number;
          updatedAt: string;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 新增历史评审机构：名称、可评审的系列和层级、指定的采集单位 */
    post: {
      body: {
        name: string;
        series: Array<'engineering' | 'agriculture' | 'health' | 'school_teacher' | 'vocational_teacher' | 'university_teacher' | 'economics' | 'accounting' | 'statistics' | 'auditing' | 'journalism' | 'publishing' | 'translation' | 'arts' | 'library' | 'museum' | 'archives' | 'crafts' | 'technical_school_teacher' | 'sports' | 'lab' | 'research' | 'social_work' | 'mass_culture'>;
        levels: Array<'senior_full' | 'senior_deputy' | 'intermediate' | 'junior'>;
        unitIds: number[];
      };
      responses: {
        201: {
          id: number;
          name: string;
          series: string[];
          seriesLabels: string[];
          levels: string[];
          levelLabels: string[];
          units: Array<{
            id: number;
            name: string;
          }>;
          status: 'active' | 'disabled';
          version: number;
          updatedAt: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-bodies/unit-options': {
    /** 选择采集单位：按名称搜索本单位及辖区内的单位 */
    get: {
      query: {
        q?: string;
      };
      responses: {
        200: Array<{
          id: number;
          name: string;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-bodies/{id}': {
    /** 编辑历史评审机构 */
    put: {
      params: {
        id: number;
      };
      body: {
        name: string;
        series: Array<'engineering' | 'agriculture' | 'health' | 'school_teacher' | 'vocational_teacher' | 'university_teacher' | 'economics' | 'accounting' | 'statistics' | 'auditing' | 'journalism' | 'publishing' | 'translation' | 'arts' | 'library' | 'museum' | 'archives' | 'crafts' | 'technical_school_teacher' | 'sports' | 'lab' | 'research' | 'social_work' | 'mass_culture'>;
        levels: Array<'senior_full' | 'senior_deputy' | 'intermediate' | 'junior'>;
        unitIds: number[];
        version: number;
      };
      responses: {
        200: {
          id: number;
          name: string;
          series: string[];
          seriesLabels: string[];
          levels: string[];
          levelLabels: string[];
          units: Array<{
            id: number;
            name: string;
          }>;
          status: 'active' | 'disabled';
          version: number;
          updatedAt: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-bodies/{id}/status': {
    /** 停用或启用历史评审机构 */
    put: {
      params: {
        id: number;
      };
      body: {
        status: 'active' | 'disabled';
        version: number;
      };
      responses: {
        200: {
          id: number;
          name: string;
          series: string[];
          seriesLabels: string[];
          levels: string[];
          levelLabels: string[];
          units: Array<{
            id: number;
            name: string;
          }>;
          status: 'active' | 'disabled';
          version: number;
          updatedAt: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-certificates': {
    /** 历史证书生成：审核通过的数据，按采集单位、职称文件文号、评审机构分组 */
    get: {
      responses: {
        200: Array<{
          id: number;
          unitId: number;
          unitName: string;
          acquisitionType: 'review' | 'initial' | 'recognition' | 'delegated';
          acquisitionLabel: string;
          documentNo: string;
          status: 'draft' | 'reviewing' | 'returned' | 'approved' | 'issuing' | 'issued';
          statusLabel: string;
          total: number;
          good: number;
          bad: number;
          warned: number;
          issuerUnitId: number | null;
          issuerName: string | null;
          auditPath: Array<{
            unitId: number;
            name: string;
          }>;
          currentUnitId: number | null;
          currentUnitName: string | null;
          qualificationFileId: string | null;
          stampedFileId: string | null;
          returnReason: string | null;
          returnCount: number;
          instanceId: string | null;
          openStep: string | null;
          taskId: string | null;
          step: 'review' | 'resubmit' | 'issue' | null;
          createdAt: string;
          submittedAt: string | null;
          issuedAt: string | null;
          reviewBody: string;
          persons: number;
          pending: number;
          cancelled: number;
          issued: number;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-certificates/{id}/cancel': {
    /** 取消发证（须填原因），或恢复发证（cancel=false） */
    post: {
      params: {
        id: number;
      };
      body: {
        recordIds: number[];
        cancel?: boolean;
        reason?: string | null;
      };
      responses: {
        200: {
          changed: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-certificates/{id}/issue': {
    /** 发证：未取消发证的人员逐本生成电子证书（后台进行，可查看进度） */
    post: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          unitId: number;
          unitName: string;
          acquisitionType: 'review' | 'initial' | 'recognition' | 'delegated';
          acquisitionLabel: string;
          documentNo: string;
          status: 'draft' | 'reviewing' | 'returned' | 'approved' | 'issuing' | 'issued';
          statusLabel: string;
          total: number;
          good: number;
          bad: number;
          warned: number;
          issuerUnitId: number | null;
          issuerName: string | null;
          auditPath: Array<{
            unitId: number;
            name: string;
          }>;
          currentUnitId: number | null;
          currentUnitName: string | null;
          qualificationFileId: string | null;
          stampedFileId: string | null;
          returnReason: string | null;
          returnCount: number;
          instanceId: string | null;
          openStep: string | null;
          taskId: string | null;
          step: 'review' | 'resubmit' | 'issue' | null;
          createdAt: string;
          submittedAt: string | null;
          issuedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-certificates/{id}/progress': {
    /** 发证进度 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          status: string;
          statusLabel: string;
          total: number;
          issued: number;
          state: 'running' | 'done' | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-certificates/{id}/return': {
    /** 退回采集单位（须填原因） */
    post: {
      params: {
        id: number;
      };
      body: {
        reason: string;
      };
      responses: {
        200: {
          id: number;
          unitId: number;
          unitName: string;
          acquisitionType: 'review' | 'initial' | 'recognition' | 'delegated';
          acquisitionLabel: string;
          documentNo: string;
          status: 'draft' | 'reviewing' | 'returned' | 'approved' | 'issuing' | 'issued';
          statusLabel: string;
          total: number;
          good: number;
          bad: number;
          warned: number;
          issuerUnitId: number | null;
          issuerName: string | null;
          auditPath: Array<{
            unitId: number;
            name: string;
          }>;
          currentUnitId: number | null;
          currentUnitName: string | null;
          qualificationFileId: string | null;
          stampedFileId: string | null;
          returnReason: string | null;
          returnCount: number;
          instanceId: string | null;
          openStep: string | null;
          taskId: string | null;
          step: 'review' | 'resubmit' | 'issue' | null;
          createdAt: string;
          submittedAt: string | null;
          issuedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-certificates/{id}/return-records': {
    /** 退回有疑问的人员：移入采集单位新的待提交批次（须填原因），其余人员继续发证 */
    post: {
      params: {
        id: number;
      };
      body: {
        recordIds: number[];
        reason: string;
      };
      responses: {
        200: {
          uploadId: number;
          moved: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-certificates/{id}/stamped-file': {
    /** 上传盖章后的汇总表 PDF（先通过 /api/files 上传） */
    put: {
      params: {
        id: number;
      };
      body: {
        fileId: string;
      };
      responses: {
        200: {
          id: number;
          unitId: number;
          unitName: string;
          acquisitionType: 'review' | 'initial' | 'recognition' | 'delegated';
          acquisitionLabel: string;
          documentNo: string;
          status: 'draft' | 'reviewing' | 'returned' | 'approved' | 'issuing' | 'issued';
          statusLabel: string;
          total: number;
          good: number;
          bad: number;
          warned: number;
          issuerUnitId: number | null;
          issuerName: string | null;
          auditPath: Array<{
            unitId: number;
            name: string;
          }>;
          currentUnitId: number | null;
          currentUnitName: string | null;
          qualificationFileId: string | null;
          stampedFileId: string | null;
          returnReason: string | null;
          returnCount: number;
          instanceId: string | null;
          openStep: string | null;
          taskId: string | null;
          step: 'review' | 'resubmit' | 'issue' | null;
          createdAt: string;
          submittedAt: string | null;
          issuedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-certificates/{id}/summary': {
    /** 下载发证汇总表（Excel），线下盖章 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/history-reviews': {
    /** 待本单位审核的历史数据批次 */
    get: {
      responses: {
        200: Array<{
          id: number;
          unitId: number;
          unitName: string;
          acquisitionType: 'review' | 'initial' | 'recognition' | 'delegated';
          acquisitionLabel: string;
          documentNo: string;
          status: 'draft' | 'reviewing' | 'returned' | 'approved' | 'issuing' | 'issued';
          statusLabel: string;
          total: number;
          good: number;
          bad: number;
          warned: number;
          issuerUnitId: number | null;
          issuerName: string | null;
          auditPath: Array<{
            unitId: number;
            name: string;
          }>;
          currentUnitId: number | null;
          currentUnitName: string | null;
          qualificationFileId: string | null;
          stampedFileId: string | null;
          returnReason: string | null;
          returnCount: number;
          instanceId: string | null;
          openStep: string | null;
          taskId: string | null;
          step: 'review' | 'resubmit' | 'issue' | null;
          createdAt: string;
          submittedAt: string | null;
          issuedAt: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-reviews/pass': {
    /** 批量审核：所选批次审核通过 */
    post: {
      body: {
        uploadIds: number[];
        taskIds?: string[];
      };
      responses: {
        200: {
          passed: number;
          remaining: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-reviews/pass-all': {
    /** 一键审核：本单位待审核（本人可办理）的批次全部审核通过；taskIds 为列表显示的审核环节时只通过这些环节上的批次 */
    post: {
      body: {
        taskIds?: string[];
      } | null;
      responses: {
        200: {
          passed: number;
          remaining: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-uploads': {
    /** 本单位的历史数据批次（待提交、审核中、已退回、待发证、已发证） */
    get: {
      responses: {
        200: Array<{
          id: number;
          unitId: number;
          unitName: string;
          acquisitionType: 'review' | 'initial' | 'recognition' | 'delegated';
          acquisitionLabel: string;
          documentNo: string;
          status: 'draft' | 'reviewing' | 'returned' | 'approved' | 'issuing' | 'issued';
          statusLabel: string;
          total: number;
          good: number;
          bad: number;
          warned: number;
          issuerUnitId: number | null;
          issuerName: string | null;
          auditPath: Array<{
            unitId: number;
            name: string;
          }>;
          currentUnitId: number | null;
          currentUnitName: string | null;
          qualificationFileId: string | null;
          stampedFileId: string | null;
          returnReason: string | null;
          returnCount: number;
          instanceId: string | null;
          openStep: string | null;
          taskId: string | null;
          step: 'review' | 'resubmit' | 'issue' | null;
          createdAt: string;
          submittedAt: string | null;
          issuedAt: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 新建批次：选择取得方式（评审、初定、确认、委托评审）并填写职称文件文号 */
    post: {
      body: {
        acquisitionType: 'review' | 'initial' | 'recognition' | 'delegated';
        documentNo: string;
      };
      responses: {
        201: {
          id: number;
          unitId: number;
          unitName: string;
          acquisitionType: 'review' | 'initial' | 'recognition' | 'delegated';
          acquisitionLabel: string;
          documentNo: string;
          status: 'draft' | 'reviewing' | 'returned' | 'approved' | 'issuing' | 'issued';
          statusLabel: string;
          total: number;
          good: number;
          bad: number;
          warned: number;
          issuerUnitId: number | null;
          issuerName: string | null;
          auditPath: Array<{
            unitId: number;
            name: string;
          }>;
          currentUnitId: number | null;
          currentUnitName: string | null;
          qualificationFileId: string | null;
          stampedFileId: string | null;
          returnReason: string | null;
          returnCount: number;
          instanceId: string | null;
          openStep: string | null;
          taskId: string | null;
          step: 'review' | 'resubmit' | 'issue' | null;
          createdAt: string;
          submittedAt: string | null;
          issuedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-uploads/template': {
    /** 下载历史职称数据导入模板（Excel，含示例行） */
    get: {
      responses: {
        200: unknown;
      };
    };
  };
  '/api/history-uploads/{id}': {
    /** 批次详情：正确、错误条数，审核路径和当前环节 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          unitId: number;
          unitName: string;
          acquisitionType: 'review' | 'initial' | 'recognition' | 'delegated';
          acquisitionLabel: string;
          documentNo: string;
          status: 'draft' | 'reviewing' | 'returned' | 'approved' | 'issuing' | 'issued';
          statusLabel: string;
          total: number;
          good: number;
          bad: number;
          warned: number;
          issuerUnitId: number | null;
          issuerName: string | null;
          auditPath: Array<{
            unitId: number;
            name: string;
          }>;
          currentUnitId: number | null;
          currentUnitName: string | null;
          qualificationFileId: string | null;
          stampedFileId: string | null;
          returnReason: string | null;
          returnCount: number;
          instanceId: string | null;
          openStep: string | null;
          taskId: string | null;
          step: 'review' | 'resubmit' | 'issue' | null;
          createdAt: string;
          submittedAt: string | null;
          issuedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-uploads/{id}/audit-path': {
    /** 审核路径：选择发证单位后本批次需经过的各级单位 */
    get: {
      params: {
        id: number;
      };
      query: {
        issuerUnitId: number;
      };
      responses: {
        200: Array<{
          unitId: number;
          name: string;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-uploads/{id}/bad-records/export': {
    /** 导出错误数据（Excel，含错误原因列） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/history-uploads/{id}/export': {
    /** 导出批次数据（Excel） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/history-uploads/{id}/issuers': {
    /** 可选的发证单位（本单位及上级单位） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: Array<{
          id: number;
          name: string;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-uploads/{id}/name-check': {
    /** 人员名单校验：粘贴任职资格文件中的姓名（空格分隔），逐人标记在名单中或不在名单中 */
    post: {
      params: {
        id: number;
      };
      body: {
        names: string;
      };
      responses: {
        200: {
          persons: Array<{
            id: number;
            rowNo: number;
            personName: string;
            idNumber: string;
            present: boolean;
          }>;
          present: number;
          absent: number;
          notInBatch: string[];
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-uploads/{id}/records': {
    /** 批次的数据（bad=true 错误数据，false 正确数据），每行带错误原因和高风险提醒 */
    get: {
      params: {
        id: number;
      };
      query: {
        bad?: 'true' | 'false';
        page?: number;
        pageSize?: number;
      };
      responses: {
        200: {
          total: number;
          records: Array<{
            id: number;
            rowNo: number;
            values: {
              personName: string;
              gender: string;
              idNumber: string;
              birthDate: string;
              employerName: string;
              series: string;
              specialty: string;
              titleName: string;
              level: string;
              acquisition: string;
              reviewBody: string;
              reviewDate: string;
              approvalDate: string;
              documentNo: string;
            };
            errors: Array<{
              field: string;
              message: string;
            }>;
            warnings: Array<{
              field: string;
              message: string;
            }>;
            bad: boolean;
            issueState: 'cancelled' | 'issued' | null;
            issueReason: string | null;
            certificateId: number | null;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-uploads/{id}/records/delete': {
    /** 删除所选数据，或全部错误数据（allBad） */
    post: {
      params: {
        id: number;
      };
      body: {
        ids?: number[];
        allBad?: boolean;
      };
      responses: {
        200: {
          deleted: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-uploads/{id}/records/{recordId}': {
    /** 修改一条数据，保存时重新校验 */
    put: {
      params: {
        id: number;
        recordId: number;
      };
      body: {
        personName?: string;
        gender?: string;
        idNumber?: string;
        birthDate?: string;
        employerName?: string;
        series?: string;
        specialty?: string;
        titleName?: string;
        level?: string;
        acquisition?: string;
        reviewBody?: string;
        reviewDate?: string;
        approvalDate?: string;
        documentNo?: string;
      };
      responses: {
        200: {
          id: number;
          rowNo: number;
          values: {
            personName: string;
            gender: string;
            idNumber: string;
            birthDate: string;
            employerName: string;
            series: string;
            specialty: string;
            titleName: string;
            level: string;
            acquisition: string;
            reviewBody: string;
            reviewDate: string;
            approvalDate: string;
            documentNo: string;
          };
          errors: Array<{
            field: string;
            message: string;
          }>;
          warnings: Array<{
            field: string;
            message: string;
          }>;
          bad: boolean;
          issueState: 'cancelled' | 'issued' | null;
          issueReason: string | null;
          certificateId: number | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-uploads/{id}/resubmit': {
    /** 退回修改后重新提交审核 */
    post: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          unitId: number;
          unitName: string;
          acquisitionType: 'review' | 'initial' | 'recognition' | 'delegated';
          acquisitionLabel: string;
          documentNo: string;
          status: 'draft' | 'reviewing' | 'returned' | 'approved' | 'issuing' | 'issued';
          statusLabel: string;
          total: number;
          good: number;
          bad: number;
          warned: number;
          issuerUnitId: number | null;
          issuerName: string | null;
          auditPath: Array<{
            unitId: number;
            name: string;
          }>;
          currentUnitId: number | null;
          currentUnitName: string | null;
          qualificationFileId: string | null;
          stampedFileId: string | null;
          returnReason: string | null;
          returnCount: number;
          instanceId: string | null;
          openStep: string | null;
          taskId: string | null;
          step: 'review' | 'resubmit' | 'issue' | null;
          createdAt: string;
          submittedAt: string | null;
          issuedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-uploads/{id}/review': {
    /** 审核：通过（提交上一级或进入发证）或退回采集单位（须填原因） */
    post: {
      params: {
        id: number;
      };
      body: {
        action: 'pass' | 'return';
        reason?: string | null;
        taskId?: string;
      };
      responses: {
        200: {
          id: number;
          unitId: number;
          unitName: string;
          acquisitionType: 'review' | 'initial' | 'recognition' | 'delegated';
          acquisitionLabel: string;
          documentNo: string;
          status: 'draft' | 'reviewing' | 'returned' | 'approved' | 'issuing' | 'issued';
          statusLabel: string;
          total: number;
          good: number;
          bad: number;
          warned: number;
          issuerUnitId: number | null;
          issuerName: string | null;
          auditPath: Array<{
            unitId: number;
            name: string;
          }>;
          currentUnitId: number | null;
          currentUnitName: string | null;
          qualificationFileId: string | null;
          stampedFileId: string | null;
          returnReason: string | null;
          returnCount: number;
          instanceId: string | null;
          openStep: string | null;
          taskId: string | null;
          step: 'review' | 'resubmit' | 'issue' | null;
          createdAt: string;
          submittedAt: string | null;
          issuedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-uploads/{id}/submit': {
    /** 提交审核：选择发证单位，上传任职资格文件（先通过 /api/files 上传） */
    post: {
      params: {
        id: number;
      };
      body: {
        issuerUnitId: number;
        fileId: string;
      };
      responses: {
        200: {
          id: number;
          unitId: number;
          unitName: string;
          acquisitionType: 'review' | 'initial' | 'recognition' | 'delegated';
          acquisitionLabel: string;
          documentNo: string;
          status: 'draft' | 'reviewing' | 'returned' | 'approved' | 'issuing' | 'issued';
          statusLabel: string;
          total: number;
          good: number;
          bad: number;
          warned: number;
          issuerUnitId: number | null;
          issuerName: string | null;
          auditPath: Array<{
            unitId: number;
            name: string;
          }>;
          currentUnitId: number | null;
          currentUnitName: string | null;
          qualificationFileId: string | null;
          stampedFileId: string | null;
          returnReason: string | null;
          returnCount: number;
          instanceId: string | null;
          openStep: string | null;
          taskId: string | null;
          step: 'review' | 'resubmit' | 'issue' | null;
          createdAt: string;
          submittedAt: string | null;
          issuedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/history-uploads/{id}/workbook': {
    /** 上传 Excel（multipart，字段 file，不超过 60 MB）：逐行校验后导入 */
    post: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          unitId: number;
          unitName: string;
          acquisitionType: 'review' | 'initial' | 'recognition' | 'delegated';
          acquisitionLabel: string;
          documentNo: string;
          status: 'draft' | 'reviewing' | 'returned' | 'approved' | 'issuing' | 'issued';
          statusLabel: string;
          total: number;
          good: number;
          bad: number;
          warned: number;
          issuerUnitId: number | null;
          issuerName: string | null;
          auditPath: Array<{
            unitId: number;
            name: string;
          }>;
          currentUnitId: number | null;
          currentUnitName: string | null;
          qualificationFileId: string | null;
          stampedFileId: string | null;
          returnReason: string | null;
          returnCount: number;
          instanceId: string | null;
          openStep: string | null;
          taskId: string | null;
          step: 'review' | 'resubmit' | 'issue' | null;
          createdAt: string;
          submittedAt: string | null;
          issuedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/home': {
    /** 首页：单位信息、消息、评审工作监督 */
    get: {
      responses: {
        200: {
          unit: {
            id: number;
            name: string;
            unitType: string;
            unitTypeName: string;
            adminLevelName: string | null;
            creditCode: string | null;
            region: string | null;
            parentName: string | null;
            status: string;
            staffCount: number;
          } | null;
          messages: {
            unread: number;
            latest: Array<{
              id: number;
              title: string;
              kind: string;
              createdAt: string;
              read: boolean;
            }>;
          };
          supervision: {
            scope: 'own' | 'subtree';
            tiles: {
              committees: number;
              filed: number;
              unfiled: number;
              runningActivities: number;
            };
            committees: Array<{
              id: number;
              name: string;
              organizerName: string;
              region: string | null;
              filingStatus: 'unfiled' | 'filed' | 'expired';
              filingStatusName: string;
              validFrom: string | null;
              validTo: string | null;
              activities: Array<{
                id: number;
                name: string;
                year: number;
                startsAt: string | null;
                firstDeadline: string | null;
                stage: 'upcoming' | 'applying' | 'reviewing' | 'meeting' | 'publicity' | 'confirming' | 'issuing' | 'done';
                stageName: string;
              }>;
            }>;
          } | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/home/admin': {
    /** 系统管理员首页：运行中的流程、未处理异常、超期待办、最近部署 */
    get: {
      responses: {
        200: {
          counts: {
            running: number;
            incidents: number;
            overdue: number;
          };
          runningByProcess: Array<{
            processKey: string;
            name: string;
            count: number;
          }>;
          incidents: Array<{
            id: number;
            rootInstanceId: string;
            elementId: string;
            message: string;
            createdAt: string;
          }>;
          overdueTasks: Array<{
            id: string;
            name: string;
            processName: string | null;
            unitName: string | null;
            dueAt: string;
          }>;
          deployments: Array<{
            key: string;
            version: number;
            name: string;
            deployedAt: string;
            deployedBy: string | null;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/incidents': {
    /** 流程异常列表（筛选：状态、流程、元素、实例、时间） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
        status?: 'open' | 'resolved';
        processKey?: string;
        elementId?: string;
        instanceId?: string;
        from?: string;
        to?: string;
        q?: string;
      };
      responses: {
        200: Array<{
          id: number;
          instanceId: string;
          rootInstanceId: string;
          processKey: string;
          processName: string;
          processVersion: number;
          businessKey: string | null;
          elementId: string;
          elementName: string | null;
          handler: string | null;
          message: string;
          attempts: number;
          status: string;
          createdAt: string;
          updatedAt: string;
          resolvedAt: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/incidents/retry': {
    /** 批量重试：逐条重试所选的未处理异常，返回每条的结果 */
    post: {
      body: {
        ids: number[];
      };
      responses: {
        200: {
          resolved: number;
          stillFailing: number;
          skipped: number;
          results: Array<{
            id: number;
            status: 'resolved' | 'open' | 'skipped' | 'error';
            message: string | null;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/incidents/{id}': {
    /** 流程异常详情：错误信息、尝试次数、实例变量与办理记录；错误堆栈仅对流程管理员显示 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          instanceId: string;
          rootInstanceId: string;
          processKey: string;
          processName: string;
          processVersion: number;
          businessKey: string | null;
          elementId: string;
          elementName: string | null;
          handler: string | null;
          message: string;
          attempts: number;
          status: string;
          createdAt: string;
          updatedAt: string;
          resolvedAt: string | null;
          stack: string | null;
          stackHidden: boolean;
          variables: Record<string, unknown>;
          instanceStatus: string;
          history: Array<{
            id: number;
            instanceId: string;
            type: string;
            elementId: string | null;
            elementName: string | null;
            actorName: string | null;
            action: string | null;
            opinion: string | null;
            data: Record<string, unknown> | null;
            createdAt: string;
          }>;
          moveTargets: Array<{
            id: string;
            name: string | null;
            type: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/incidents/{id}/move': {
    /** 移至其他步骤：取消失败的步骤，从本版本流程的所选元素（用户任务、服务任务或网关）继续，并记入办理记录与操作审计 */
    post: {
      params: {
        id: number;
      };
      body: {
        targetElementId: string;
        reason: string;
      };
      responses: {
        200: {
          id: number;
          instanceId: string;
          rootInstanceId: string;
          processKey: string;
          processName: string;
          processVersion: number;
          businessKey: string | null;
          elementId: string;
          elementName: string | null;
          handler: string | null;
          message: string;
          attempts: number;
          status: string;
          createdAt: string;
          updatedAt: string;
          resolvedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/incidents/{id}/retry': {
    /** 重试失败的服务步骤 */
    post: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          instanceId: string;
          rootInstanceId: string;
          processKey: string;
          processName: string;
          processVersion: number;
          businessKey: string | null;
          elementId: string;
          elementName: string | null;
          handler: string | null;
          message: string;
          attempts: number;
          status: string;
          createdAt: string;
          updatedAt: string;
          resolvedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/labels': {
    /** 界面用的中文名称（办理动作、业绩成果标题、单位类型与性质、各类状态） */
    get: {
      responses: {
        200: {
          actions: Record<string, string>;
          achievementTitles: Record<string, string>;
          unitTypes: Record<string, string>;
          registrableUnitTypes: Record<string, string>;
          unitNatures: Record<string, string>;
          unitStatuses: Record<string, string>;
          activityStatuses: Record<string, string>;
          filingStatuses: Record<string, string>;
          expertStatuses: Record<string, string>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/locked-accounts': {
    /** 辖区内因超过 3 个月未登录被停用的人社账号（待解禁） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: number;
          username: string;
          displayName: string;
          idNumber: string | null;
          phone: string | null;
          unitId: number;
          unitName: string;
          roles: string[];
          roleNames: string[];
          status: string;
          statusName: string;
          disabledReason: string | null;
          disabledReasonName: string | null;
          mustChangePassword: boolean;
          lastLoginAt: string | null;
          loginLockedUntil: string | null;
          createdAt: string;
          version: number;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meeting-activities': {
    /** 评审会议管理：本单位组建的评委会已发布的评审活动，各自的评审会议和可召开的会议 */
    get: {
      responses: {
        200: Array<{
          activityId: number;
          activityName: string;
          committeeName: string;
          /** 设破格 */
          breakthrough: boolean;
          /** 已接收的破格申报 */
          receivedBreakthrough: number;
          /** 已接收的其他申报 */
          receivedNormal: number;
          creatable: Array<'breakthrough' | 'normal'>;
          meetings: Array<{
            id: number;
            activityId: number;
            activityName: string;
            committeeId: number;
            committeeName: string;
            kind: 'breakthrough' | 'normal';
            kindLabel: string;
            name: string;
            status: 'preparing' | 'voting' | 'closed' | 'cancelled';
            statusLabel: string;
            startsAt: string | null;
            location: string | null;
            instanceId: string | null;
            supervisorCommitteeId: number | null;
            supervisorName: string | null;
            candidateCount: number;
            expertCount: number;
            version: number;
          }>;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings': {
    /** 本单位组建或监督的评审会议 */
    get: {
      query: {
        activityId?: number;
      };
      responses: {
        200: Array<{
          id: number;
          activityId: number;
          activityName: string;
          committeeId: number;
          committeeName: string;
          kind: 'breakthrough' | 'normal';
          kindLabel: string;
          name: string;
          status: 'preparing' | 'voting' | 'closed' | 'cancelled';
          statusLabel: string;
          startsAt: string | null;
          location: string | null;
          instanceId: string | null;
          supervisorCommitteeId: number | null;
          supervisorName: string | null;
          candidateCount: number;
          expertCount: number;
          version: number;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 召开评审会议（破格评审会议或普通评审会议），启动会议流程 */
    post: {
      body: {
        activityId: number;
        kind: 'breakthrough' | 'normal';
        name: string;
        startsAt: string;
        location: string;
      };
      responses: {
        201: {
          id: number;
          activityId: number;
          activityName: string;
          committeeId: number;
          committeeName: string;
          kind: 'breakthrough' | 'normal';
          kindLabel: string;
          name: string;
          status: 'preparing' | 'voting' | 'closed' | 'cancelled';
          statusLabel: string;
          startsAt: string | null;
          location: string | null;
          instanceId: string | null;
          supervisorCommitteeId: number | null;
          supervisorName: string | null;
          candidateCount: number;
          expertCount: number;
          version: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}': {
    /** 评审会议详情：环节、参评人员统计、专家、专业组、评审方案（参评人员分页见 …/candidates） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          activityId: number;
          activityName: string;
          committeeId: number;
          committeeName: string;
          kind: 'breakthrough' | 'normal';
          kindLabel: string;
          name: string;
          status: 'preparing' | 'voting' | 'closed' | 'cancelled';
          statusLabel: string;
          startsAt: string | null;
          location: string | null;
          instanceId: string | null;
          supervisorCommitteeId: number | null;
          supervisorName: string | null;
          candidateCount: number;
          expertCount: number;
          version: number;
          facts: {
            hasExam: boolean;
            hasDefense: boolean;
            hasPanels: boolean;
            panelMethod: 'vote' | 'score';
          };
          assignmentOpen: boolean;
          access: 'manage' | 'read';
          steps: Array<{
            elementId: string;
            name: string;
            state: 'done' | 'open' | 'pending' | 'skipped';
            page: string | null;
            taskIds: string[];
            doneBy: string | null;
          }>;
          panels: Array<{
            id: number;
            name: string;
            specialty: string | null;
          }>;
          candidateSummary: {
            total: number;
            unassigned: number;
            byStatus: Array<{
              status: string;
              label: string;
              count: number;
            }>;
          };
          experts: Array<{
            expertId: number;
            name: string;
            sex: string;
            employer: string;
            post: string;
            specialty: string;
            currentTitle: string;
            isChair: boolean;
            role: 'principal' | 'alternate';
            groupNo: number | null;
            attendance: 'pending' | 'confirmed' | 'cancelled';
            panelId: number | null;
            isLeader: boolean;
            hasCredential: boolean;
          }>;
          materials: Array<{
            id: string;
            name: string;
            size: number;
            mime?: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}/assignments': {
    /** 批量分配主审、辅审专家（及专业组）；开启投票前可调整 */
    put: {
      params: {
        id: number;
      };
      body: {
        dossierIds: number[];
        mainExpertId: number;
        assistantExpertIds?: number[];
        panelId?: number | null;
      };
      responses: {
        200: {
          ok: boolean;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}/candidates': {
    /** 参评人员：按顺序分页，可按姓名（开头）、状态、专业组、是否已分配主审筛选 */
    get: {
      params: {
        id: number;
      };
      query: {
        page?: number;
        pageSize?: number;
        name?: string;
        status?: 'candidate' | 'eliminated' | 'passed' | 'failed' | 'withdrawn';
        panelId?: number;
        assigned?: 'true' | 'false';
      };
      responses: {
        200: {
          total: number;
          candidates: Array<{
            dossierId: number;
            orderNo: number;
            name: string;
            idNumber: string | null;
            employer: string | null;
            specialty: string | null;
            level: string | null;
            evaluationMethod: string;
            source: 'received' | 'breakthrough' | 'exam';
            sourceLabel: string;
            status: string;
            statusLabel: string;
            panelId: number | null;
            objection: boolean;
            mainExpertId: number | null;
            assistantExpertIds: number[];
            recusedExpertIds: number[];
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}/defense/imports': {
    /** 检验答辩安排导入文件（已上传到 /api/files）：逐个单元格列出错误；确认前不导入 */
    post: {
      params: {
        id: number;
      };
      body: {
        fileId: string;
      };
      responses: {
        201: {
          id: string;
          kind: 'exam' | 'defense';
          status: 'checked' | 'imported';
          total: number;
          goodCount: number;
          badCount: number;
          bad: Array<{
            row: number;
            values: Record<string, string>;
            errors: Array<{
              column: string;
              field: string;
              message: string;
            }>;
          }>;
          failedCount: number | null;
          notifiedCount: number | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}/defense/imports/{importId}': {
    /** 答辩安排检验结果 */
    get: {
      params: {
        id: number;
        importId: string;
      };
      responses: {
        200: {
          id: string;
          kind: 'exam' | 'defense';
          status: 'checked' | 'imported';
          total: number;
          goodCount: number;
          badCount: number;
          bad: Array<{
            row: number;
            values: Record<string, string>;
            errors: Array<{
              column: string;
              field: string;
              message: string;
            }>;
          }>;
          failedCount: number | null;
          notifiedCount: number | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}/defense/imports/{importId}/confirm': {
    /** 确认导入答辩安排：新的或变更的安排向申报人及其审核链上的单位发送答辩通知 */
    post: {
      params: {
        id: number;
        importId: string;
      };
      responses: {
        200: {
          id: string;
          kind: 'exam' | 'defense';
          status: 'checked' | 'imported';
          total: number;
          goodCount: number;
          badCount: number;
          bad: Array<{
            row: number;
            values: Record<string, string>;
            errors: Array<{
              column: string;
              field: string;
              message: string;
            }>;
          }>;
          failedCount: number | null;
          notifiedCount: number | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}/defense/imports/{importId}/errors': {
    /** 下载答辩安排错误数据（出错的单元格标红并批注原因） */
    get: {
      params: {
        id: number;
        importId: string;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/meetings/{id}/defense/template': {
    /** 下载答辩安排导入模板（预填参评人员的姓名、证件号码、工作单位） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/meetings/{id}/exam/imports': {
    /** 检验笔试成绩导入文件（已上传到 /api/files）：逐个单元格列出错误；确认前不导入 */
    post: {
      params: {
        id: number;
      };
      body: {
        fileId: string;
      };
      responses: {
        201: {
          id: string;
          kind: 'exam' | 'defense';
          status: 'checked' | 'imported';
          total: number;
          goodCount: number;
          badCount: number;
          bad: Array<{
            row: number;
            values: Record<string, string>;
            errors: Array<{
              column: string;
              field: string;
              message: string;
            }>;
          }>;
          failedCount: number | null;
          notifiedCount: number | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}/exam/imports/{importId}': {
    /** 笔试成绩检验结果 */
    get: {
      params: {
        id: number;
        importId: string;
      };
      responses: {
        200: {
          id: string;
          kind: 'exam' | 'defense';
          status: 'checked' | 'imported';
          total: number;
          goodCount: number;
          badCount: number;
          bad: Array<{
            row: number;
            values: Record<string, string>;
            errors: Array<{
              column: string;
              field: string;
              message: string;
            }>;
          }>;
          failedCount: number | null;
          notifiedCount: number | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}/exam/imports/{importId}/confirm': {
    /** 确认导入笔试成绩：替换此前导入的成绩，不合格的参评人员以“笔试不通过”办结 */
    post: {
      params: {
        id: number;
        importId: string;
      };
      responses: {
        200: {
          id: string;
          kind: 'exam' | 'defense';
          status: 'checked' | 'imported';
          total: number;
          goodCount: number;
          badCount: number;
          bad: Array<{
            row: number;
            values: Record<string, string>;
            errors: Array<{
              column: string;
              field: string;
              message: string;
            }>;
          }>;
          failedCount: number | null;
          notifiedCount: number | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}/exam/imports/{importId}/errors': {
    /** 下载笔试成绩错误数据（出错的单元格标红并批注原因） */
    get: {
      params: {
        id: number;
        importId: string;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/meetings/{id}/exam/template': {
    /** 下载笔试成绩导入模板（预填参评人员的姓名、证件号码、工作单位） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/meetings/{id}/exports/{sheet}': {
    /** 导出：roster 报评人员名册，summary 申报人员汇总表，experts 参评专家信息（Excel） */
    get: {
      params: {
        id: number;
        sheet: 'roster' | 'summary' | 'experts';
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/meetings/{id}/objections/{dossierId}': {
    /** 标记或取消公示有异议（单位公示期间投诉经核实的参评人员） */
    put: {
      params: {
        id: number;
        dossierId: number;
      };
      body: {
        objection: boolean;
        note?: string | null;
      };
      responses: {
        200: {
          dossierId: number;
          orderNo: number;
          name: string;
          idNumber: string | null;
          employer: string | null;
          status: string;
          statusLabel: string;
          resultLabel: string | null;
          /** 公示有异议 */
          objection: boolean;
          objectionNote: string | null;
          exam: {
            score: number | null;
            passed: boolean | null;
            resultLabel: string;
          } | null;
          defense: {
            date: string;
            arrivalTime: string;
            address: string;
            signInDesk: string;
            orderNo: number;
            room: string;
            version: number;
          } | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}/order-import': {
    /** 导入调整后的顺序（已上传到 /api/files 的模板）；有错误时 400，details 逐格列出 */
    post: {
      params: {
        id: number;
      };
      body: {
        fileId: string;
      };
      responses: {
        200: {
          count: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}/order-template': {
    /** 下载调整顺序模板（预填参评人员及当前顺序） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/meetings/{id}/panel-members': {
    /** 把确认出席的专家分到专业组（panelId 为 null 时移出） */
    put: {
      params: {
        id: number;
      };
      body: {
        expertIds: number[];
        panelId: number | null;
      };
      responses: {
        200: {
          ok: boolean;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}/panels': {
    /** 新增专业组 */
    post: {
      params: {
        id: number;
      };
      body: {
        name: string;
        specialty?: string | null;
      };
      responses: {
        201: {
          id: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}/panels/{panelId}': {
    /** 修改专业组 */
    put: {
      params: {
        id: number;
        panelId: number;
      };
      body: {
        name: string;
        specialty?: string | null;
      };
      responses: {
        200: {
          ok: boolean;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 删除专业组（组内专家和参评人员回到未分组） */
    delete: {
      params: {
        id: number;
        panelId: number;
      };
      responses: {
        200: {
          ok: boolean;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}/panels/{panelId}/leader': {
    /** 指定组长（每组一名） */
    put: {
      params: {
        id: number;
        panelId: number;
      };
      body: {
        expertId: number;
      };
      responses: {
        200: {
          ok: boolean;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}/plan': {
    /** 评审方案：监督评委会和评审材料 */
    put: {
      params: {
        id: number;
      };
      body: {
        supervisorCommitteeId: number | null;
        materials: Array<{
          id: string;
          name: string;
          size: number;
          mime?: string;
        }>;
        version: number;
      };
      responses: {
        200: {
          id: number;
          activityId: number;
          activityName: string;
          committeeId: number;
          committeeName: string;
          kind: 'breakthrough' | 'normal';
          kindLabel: string;
          name: string;
          status: 'preparing' | 'voting' | 'closed' | 'cancelled';
          statusLabel: string;
          startsAt: string | null;
          location: string | null;
          instanceId: string | null;
          supervisorCommitteeId: number | null;
          supervisorName: string | null;
          candidateCount: number;
          expertCount: number;
          version: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}/preparation': {
    /** 评审会议准备：活动选项（笔试、答辩、专业组、破格）、参评人员（按顺序分页，可按姓名开头、公示有异议筛选）及其笔试成绩、答辩安排、公示有异议标记 */
    get: {
      params: {
        id: number;
      };
      query: {
        page?: number;
        pageSize?: number;
        name?: string;
        objection?: 'true' | 'false';
      };
      responses: {
        200: {
          meeting: {
            id: number;
            name: string;
            kind: string;
            status: string;
            activityId: number;
          };
          options: {
            hasExam: boolean;
            hasDefense: boolean;
            hasPanels: boolean;
            panelMethod: 'vote' | 'score' | null;
            hasBreakthrough: boolean;
            writtenExam: string;
            defense: string;
          };
          examDone: boolean;
          defenseDone: boolean;
          counts: {
            all: number;
            objection: number;
          };
          total: number;
          candidates: Array<{
            dossierId: number;
            orderNo: number;
            name: string;
            idNumber: string | null;
            employer: string | null;
            status: string;
            statusLabel: string;
            resultLabel: string | null;
            /** 公示有异议 */
            objection: boolean;
            objectionNote: string | null;
            exam: {
              score: number | null;
              passed: boolean | null;
              resultLabel: string;
            } | null;
            defense: {
              date: string;
              arrivalTime: string;
              address: string;
              signInDesk: string;
              orderNo: number;
              room: string;
              version: number;
            } | null;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}/publicity': {
    /** 评审结果公示：公示公告、公示名单、投诉及办理状态 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          access: 'manage' | 'read';
          notice: {
            id: number;
            meetingId: number;
            title: string;
            committeeName: string;
            activityName: string;
            meetingName: string;
            status: 'drafting' | 'published' | 'holding' | 'ended';
            statusLabel: string;
            periodStart: string | null;
            periodEnd: string | null;
            contactPerson: string | null;
            contactPhone: string | null;
            contactAddress: string | null;
            publishedAt: string | null;
            endedAt: string | null;
            passedCount: number;
            candidates: Array<{
              dossierId: number;
              name: string;
              employer: string;
              series: string;
              specialty: string;
              level: string;
              withdrawn: boolean;
            }>;
          } | null;
          candidates: Array<{
            dossierId: number;
            name: string;
            employer: string;
            series: string;
            specialty: string;
            level: string;
            withdrawn: boolean;
          }>;
          complaints: Array<{
            id: number;
            noticeId: number;
            meetingId: number;
            meetingName: string;
            committeeName: string;
            dossierId: number;
            candidateName: string;
            kind: 'online' | 'offline';
            kindLabel: string;
            reason: string;
            evidence: Array<{
              id: string;
              name: string;
              size: number;
              mime: string;
            }>;
            status: 'investigating' | 'upheld' | 'dismissed';
            statusLabel: string;
            conclusion: string | null;
            concludedAt: string | null;
            createdAt: string;
            complainantName: string | null;
            complainantPhone: string | null;
            complainantIdentity: string | null;
            instanceId: string | null;
            taskId: string | null;
          }>;
          publishTaskId: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}/publicity/complaints': {
    /** 录入线下投诉结果（投诉人、事由、证明材料），进入调查核实 */
    post: {
      params: {
        id: number;
      };
      body: {
        /** 被投诉人 */
        dossierId: number;
        /** 投诉事由 */
        reason: string;
        /** 证明材料 */
        evidence?: string[];
        /** 投诉人姓名 */
        complainantName: string;
        /** 手机号码 */
        complainantPhone: string;
        /** 投诉人身份证号或单位 */
        complainantIdentity: string;
      };
      responses: {
        201: {
          id: number;
          noticeId: number;
          meetingId: number;
          meetingName: string;
          committeeName: string;
          dossierId: number;
          candidateName: string;
          kind: 'online' | 'offline';
          kindLabel: string;
          reason: string;
          evidence: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          status: 'investigating' | 'upheld' | 'dismissed';
          statusLabel: string;
          conclusion: string | null;
          concludedAt: string | null;
          createdAt: string;
          complainantName: string | null;
          complainantPhone: string | null;
          complainantIdentity: string | null;
          instanceId: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}/publicity/complaints/{complaintId}/pii': {
    /** 查看完整：投诉人的手机号码（phone）或身份证号/单位（idNumber）（公示页为脱敏显示；组织评审的经办人回访用，每次查看记入操作审计） */
    get: {
      params: {
        id: number;
        complaintId: number;
      };
      query: {
        /** 查看的字段（idNumber 身份证号码 / phone 手机号码） */
        field?: 'idNumber' | 'phone';
      };
      responses: {
        200: {
          field: 'idNumber' | 'phone';
          value: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}/scoring': {
    /** 评审会议的评分标准（专家打分时展示） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          activityId: number;
          items: Array<{
            id: number;
            name: string;
            maxPoints: number;
            description: string | null;
            orderNo: number;
          }>;
          /** 总分 */
          total: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{id}/supervisor-options': {
    /** 可选的监督评委会 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: Array<{
          id: number;
          name: string;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/attendance': {
    /** 确认出席：抽选出的专家、出席情况、回避关系、尚未满足的要求和办理记录 */
    get: {
      params: {
        meetingId: number;
      };
      responses: {
        200: {
          meeting: {
            id: number;
            name: string;
            kind: 'breakthrough' | 'normal';
            status: string;
          };
          drawId: number | null;
          /** 可办理（组建单位的评审会议管理人员）；监督评委会只读 */
          canManage: boolean;
          experts: Array<{
            expertId: number;
            name: string;
            employer: string;
            phone: string;
            specialty: string;
            currentTitle: string;
            isChair: boolean;
            lastYearChair: boolean;
            outside: boolean;
            regionName: string | null;
            groupNo: number | null;
            role: 'principal' | 'alternate';
            altOrder: number | null;
            attendance: 'pending' | 'confirmed' | 'cancelled';
            cancelReason: string | null;
            isExecutiveChair: boolean;
            /** 递补（被取消的正选专家） */
            promotedFor: string | null;
            /** 回避的参评人员 */
            recusals: Array<{
              dossierId: number;
              applicantName: string;
              employer: string;
            }>;
          }>;
          /** 尚未满足的出席要求 */
          problems: string[];
          events: Array<{
            id: number;
            expertName: string;
            action: string;
            reason: string | null;
            actorName: string;
            at: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 确认出席或取消出席（可多选；取消须填原因，取消正选专家时由该组下一名候补专家递补） */
    post: {
      params: {
        meetingId: number;
      };
      body: {
        /** 专家 */
        expertIds: number[];
        /** 办理结果 */
        action: 'confirm' | 'cancel';
        /** 取消原因 */
        reason?: string;
      };
      responses: {
        200: {
          changed: number;
          promoted: Array<{
            expertId: number;
            name: string;
            replacing: string;
            groupNo: number;
          }>;
          unfilled: string[];
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/confirmation': {
    /** 评委会：本次会议评审结果确认的进度（确认中 / 补充材料 / 确认通过 / 不通过）和人员（分页） */
    get: {
      params: {
        meetingId: number;
      };
      query: {
        page?: number;
        pageSize?: number;
        state?: 'confirming' | 'supplement' | 'passed' | 'failed';
        name?: string;
      };
      responses: {
        200: {
          meetingId: number;
          meetingName: string;
          started: boolean;
          counts: {
            confirming: number;
            supplement: number;
            passed: number;
            failed: number;
            /** 确认通过、尚未提交发证信息（或发证单位已退回）的人数 */
            notHandedOver: number;
          };
          total: number;
          candidates: Array<{
            meetingId: number;
            dossierId: number;
            applicantName: string;
            idNumber: string | null;
            employer: string | null;
            series: string | null;
            level: string | null;
            specialty: string | null;
            reviewResult: string;
            unitId: number;
            unitName: string;
            delegated: boolean;
            state: 'confirming' | 'supplement' | 'passed' | 'failed';
            stateLabel: string;
            returnReason: string | null;
            returnCount: number;
            reason: string | null;
            decidedAt: string | null;
            documentNo: string | null;
            approvalDate: string | null;
            handedAt: string | null;
            /** 授权管理单位（或委托单位）取消发证的原因：已退回评委会，可重新提交发证信息 */
            certificateReturnReason: string | null;
            certified: boolean;
            openStep: string | null;
            taskId: string | null;
            step: 'review' | 'decision' | 'supplement' | 'close' | null;
          }>;
          report: {
            id: string;
            name: string;
            uploadedAt: string | null;
          } | null;
          closeTaskId: string | null;
          closedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/confirmation/close': {
    /** 办结：确认通过人员的证书全部发放后办结 */
    post: {
      params: {
        meetingId: number;
      };
      responses: {
        200: {
          ok: true;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/confirmation/document-numbers': {
    /** 批量设置职称文件文号（X〔YYYY〕N号，年份与批准日期一致） */
    put: {
      params: {
        meetingId: number;
      };
      body: {
        dossierIds: number[];
        documentNo: string;
        approvalDate: string;
      };
      responses: {
        200: {
          ok: true;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/confirmation/handover': {
    /** 提交发证信息：确认通过且已设置文号的人员移交证书发放 */
    post: {
      params: {
        meetingId: number;
      };
      responses: {
        200: {
          handedOver: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/confirmation/report': {
    /** 上传评审工作报告（先通过 /api/files 上传） */
    put: {
      params: {
        meetingId: number;
      };
      body: {
        fileId: string;
      };
      responses: {
        200: {
          ok: true;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/confirmation/supplements/{dossierId}': {
    /** 补充材料完成，重新提交确认单位 */
    post: {
      params: {
        meetingId: number;
        dossierId: number;
      };
      body: {
        note: string;
      };
      responses: {
        200: {
          ok: true;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/credentials': {
    /** 发放专家评审账号并打印账号单（PDF）：默认为尚无账号的确认出席专家；指定 expertIds 时为其重置初始密码 */
    post: {
      params: {
        meetingId: number;
      };
      body: {
        expertIds?: number[];
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/meetings/{meetingId}/draw': {
    /** 专家抽选页：抽选小组（含符合条件的在库活跃专家人数）和本会议的抽选记录 */
    get: {
      params: {
        meetingId: number;
      };
      responses: {
        200: {
          meeting: {
            id: number;
            name: string;
            kind: 'breakthrough' | 'normal';
            status: string;
          };
          groups: Array<{
            id: number;
            groupNo: number;
            specialty: string;
            /** 职称层级 */
            level: 'senior_full' | 'senior_deputy' | 'intermediate' | 'junior';
            levelLabel: string;
            /** 抽取人数 */
            count: number;
            /** 符合条件的在库活跃专家 */
            matching: number;
            /** 其中主任委员（可作主任委员备选） */
            chairs: number;
            /** 其中外地专家 */
            outside: number;
            /** 其中连续三年参会、本年度不再选中 */
            barred: number;
          }>;
          draws: Array<{
            id: number;
            status: 'drawn' | 'refused' | 'accepted' | 'superseded';
            algorithm: string;
            /** 随机种子（十六进制） */
            seed: string;
            multiplier: number;
            year: number;
            /** 本地的范围 */
            locality: string;
            groups: Array<{
              groupNo: number;
              specialty: string;
              /** 职称层级 */
              level: 'senior_full' | 'senior_deputy' | 'intermediate' | 'junior';
              count: number;
              label: string;
              listed: number;
            }>;
            refusal: {
              rule: string;
              message: string;
              [key: string]: unknown;
            } | null;
            drawnBy: string;
            drawnAt: string;
            acceptedAt: string | null;
            principals: number;
            alternates: number;
            pool: {
              size: number;
              chairs: number;
              lastYearChairs: number;
              barredThreeYears: number;
              outside: number;
            } | null;
            list: Array<{
              expertId: number;
              groupNo: number;
              role: 'principal' | 'alternate';
              altOrder: number | null;
              name: string;
              employer: string;
              currentTitle: string;
              isChair: boolean;
              outside: boolean;
            }>;
          }>;
          acceptedDrawId: number | null;
          /** 可办理（组建单位的评审会议管理人员）；监督评委会只读 */
          canManage: boolean;
          multipliers: number[];
          levels: Array<{
            value: string;
            label: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/draw-groups': {
    /** 新增抽选小组（从事专业、职称层级、抽取人数） */
    post: {
      params: {
        meetingId: number;
      };
      body: {
        /** 从事专业 */
        specialty: string;
        /** 职称层级 */
        level: 'senior_full' | 'senior_deputy' | 'intermediate' | 'junior';
        /** 抽取人数 */
        count: number;
      };
      responses: {
        201: Array<{
          id: number;
          groupNo: number;
          specialty: string;
          /** 职称层级 */
          level: 'senior_full' | 'senior_deputy' | 'intermediate' | 'junior';
          levelLabel: string;
          /** 抽取人数 */
          count: number;
          /** 符合条件的在库活跃专家 */
          matching: number;
          /** 其中主任委员（可作主任委员备选） */
          chairs: number;
          /** 其中外地专家 */
          outside: number;
          /** 其中连续三年参会、本年度不再选中 */
          barred: number;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/draw-groups/matching': {
    /** 符合从事专业和职称层级、尚未分到其他小组的在库活跃专家人数 */
    get: {
      params: {
        meetingId: number;
      };
      query: {
        specialty: string;
        /** 职称层级 */
        level: 'senior_full' | 'senior_deputy' | 'intermediate' | 'junior';
      };
      responses: {
        200: {
          matching: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/draw-groups/{groupId}': {
    /** 删除抽选小组（采用抽选结果前） */
    delete: {
      params: {
        meetingId: number;
        groupId: number;
      };
      responses: {
        204: null;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/draws': {
    /** 开始抽选：按抽选倍数从各小组随机抽选（密码学随机种子，可重放）；不满足抽选规则时拒绝并说明规则和差额（409） */
    post: {
      params: {
        meetingId: number;
      };
      body: {
        /** 抽选倍数 */
        multiplier: number;
      };
      responses: {
        201: {
          id: number;
          status: 'drawn' | 'refused' | 'accepted' | 'superseded';
          algorithm: string;
          /** 随机种子（十六进制） */
          seed: string;
          multiplier: number;
          year: number;
          /** 本地的范围 */
          locality: string;
          groups: Array<{
            groupNo: number;
            specialty: string;
            /** 职称层级 */
            level: 'senior_full' | 'senior_deputy' | 'intermediate' | 'junior';
            count: number;
            label: string;
            listed: number;
          }>;
          refusal: {
            rule: string;
            message: string;
            [key: string]: unknown;
          } | null;
          drawnBy: string;
          drawnAt: string;
          acceptedAt: string | null;
          principals: number;
          alternates: number;
          pool: {
            size: number;
            chairs: number;
            lastYearChairs: number;
            barredThreeYears: number;
            outside: number;
          } | null;
          list: Array<{
            expertId: number;
            groupNo: number;
            role: 'principal' | 'alternate';
            altOrder: number | null;
            name: string;
            employer: string;
            currentTitle: string;
            isChair: boolean;
            outside: boolean;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/draws/{drawId}': {
    /** 一次抽选的记录：输入、专家库快照概况、随机种子、抽选人和时间、抽选名单 */
    get: {
      params: {
        meetingId: number;
        drawId: number;
      };
      responses: {
        200: {
          id: number;
          status: 'drawn' | 'refused' | 'accepted' | 'superseded';
          algorithm: string;
          /** 随机种子（十六进制） */
          seed: string;
          multiplier: number;
          year: number;
          /** 本地的范围 */
          locality: string;
          groups: Array<{
            groupNo: number;
            specialty: string;
            /** 职称层级 */
            level: 'senior_full' | 'senior_deputy' | 'intermediate' | 'junior';
            count: number;
            label: string;
            listed: number;
          }>;
          refusal: {
            rule: string;
            message: string;
            [key: string]: unknown;
          } | null;
          drawnBy: string;
          drawnAt: string;
          acceptedAt: string | null;
          principals: number;
          alternates: number;
          pool: {
            size: number;
            chairs: number;
            lastYearChairs: number;
            barredThreeYears: number;
            outside: number;
          } | null;
          list: Array<{
            expertId: number;
            groupNo: number;
            role: 'principal' | 'alternate';
            altOrder: number | null;
            name: string;
            employer: string;
            currentTitle: string;
            isChair: boolean;
            outside: boolean;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/draws/{drawId}/accept': {
    /** 采用抽选结果：名单中的专家成为本会议的正选和候补专家，并记录回避关系 */
    post: {
      params: {
        meetingId: number;
        drawId: number;
      };
      responses: {
        200: {
          id: number;
          status: 'drawn' | 'refused' | 'accepted' | 'superseded';
          algorithm: string;
          /** 随机种子（十六进制） */
          seed: string;
          multiplier: number;
          year: number;
          /** 本地的范围 */
          locality: string;
          groups: Array<{
            groupNo: number;
            specialty: string;
            /** 职称层级 */
            level: 'senior_full' | 'senior_deputy' | 'intermediate' | 'junior';
            count: number;
            label: string;
            listed: number;
          }>;
          refusal: {
            rule: string;
            message: string;
            [key: string]: unknown;
          } | null;
          drawnBy: string;
          drawnAt: string;
          acceptedAt: string | null;
          principals: number;
          alternates: number;
          pool: {
            size: number;
            chairs: number;
            lastYearChairs: number;
            barredThreeYears: number;
            outside: number;
          } | null;
          list: Array<{
            expertId: number;
            groupNo: number;
            role: 'principal' | 'alternate';
            altOrder: number | null;
            name: string;
            employer: string;
            currentTitle: string;
            isChair: boolean;
            outside: boolean;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/draws/{drawId}/pool': {
    /** 一次抽选保存的专家库快照（规则读取的字段及抽选结果），分页 */
    get: {
      params: {
        meetingId: number;
        drawId: number;
      };
      query: {
        offset?: number;
        limit?: number;
      };
      responses: {
        200: {
          total: number;
          rows: Array<{
            expertId: number;
            name: string;
            /** 归入的抽选小组 */
            groupNo: number | null;
            specialty: string;
            levelLabel: string;
            isChair: boolean;
            lastYearChair: boolean;
            /** 连续三年参会（非主任委员不再选中） */
            threeYears: boolean;
            outside: boolean;
            regionCode: string | null;
            employer: string;
            /** 抽选结果：正选、候补n，未抽中为空 */
            drawn: string | null;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/draws/{drawId}/replay': {
    /** 重放抽选：用保存的输入、专家库快照和随机种子重新计算，核对名单是否一致 */
    post: {
      params: {
        meetingId: number;
        drawId: number;
      };
      responses: {
        200: {
          same: boolean;
          message: string;
          refusal: string | null;
          list: Array<{
            expertId: number;
            groupNo: number;
            role: 'principal' | 'alternate';
            altOrder: number | null;
            name: string;
            employer: string;
            currentTitle: string;
            isChair: boolean;
            outside: boolean;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/executive-chair': {
    /** 指定执行主任（确认出席的主任委员不止一名时） */
    post: {
      params: {
        meetingId: number;
      };
      body: {
        /** 执行主任 */
        expertId: number;
      };
      responses: {
        204: null;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/tally': {
    /** 计票：各轮专家进度和参评人数（结果分页见 …/tally/rounds/:roundId/results；监督评委会只读） */
    get: {
      params: {
        meetingId: number;
      };
      responses: {
        200: {
          meeting: {
            id: number;
            name: string;
            kind: string;
            status: string;
            activityName: string;
            committeeName: string;
          };
          readOnly: boolean;
          rounds: Array<{
            id: number;
            kind: string;
            label: string;
            panelName: string | null;
            method: 'vote' | 'score';
            methodLabel: string;
            status: string;
            statusLabel: string;
            confirmed: number;
            attending: number;
            quorum: number;
            valid: boolean;
            experts: Array<{
              expertId: number;
              name: string;
              status: string;
              statusLabel: string;
              agree: number;
              disagree: number;
              abstain: number;
              notVoted: number;
              passRate: number | null;
              abstainRate: number | null;
              submittedAt: string | null;
            }>;
            resultCount: number;
          }>;
          waitingFor: string[];
          tallyOpen: boolean;
          canPass: boolean;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/tally.pdf': {
    /** 导出表决票结果（PDF） */
    get: {
      params: {
        meetingId: number;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/meetings/{meetingId}/tally.xlsx': {
    /** 导出表决票结果（Excel） */
    get: {
      params: {
        meetingId: number;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/meetings/{meetingId}/tally/absent': {
    /** 标记缺席：代专家结束其本轮表决票（不计入实到人数） */
    post: {
      params: {
        meetingId: number;
      };
      body: {
        expertId: number;
        opinion: string;
      };
      responses: {
        200: {
          meeting: {
            id: number;
            name: string;
            kind: string;
            status: string;
            activityName: string;
            committeeName: string;
          };
          readOnly: boolean;
          rounds: Array<{
            id: number;
            kind: string;
            label: string;
            panelName: string | null;
            method: 'vote' | 'score';
            methodLabel: string;
            status: string;
            statusLabel: string;
            confirmed: number;
            attending: number;
            quorum: number;
            valid: boolean;
            experts: Array<{
              expertId: number;
              name: string;
              status: string;
              statusLabel: string;
              agree: number;
              disagree: number;
              abstain: number;
              notVoted: number;
              passRate: number | null;
              abstainRate: number | null;
              submittedAt: string | null;
            }>;
            resultCount: number;
          }>;
          waitingFor: string[];
          tallyOpen: boolean;
          canPass: boolean;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/tally/pass': {
    /** 计票完成：全部出席专家提交后关闭本轮并计算结果 */
    post: {
      params: {
        meetingId: number;
      };
      body: {
        opinion?: string | null;
      };
      responses: {
        200: {
          meeting: {
            id: number;
            name: string;
            kind: string;
            status: string;
            activityName: string;
            committeeName: string;
          };
          readOnly: boolean;
          rounds: Array<{
            id: number;
            kind: string;
            label: string;
            panelName: string | null;
            method: 'vote' | 'score';
            methodLabel: string;
            status: string;
            statusLabel: string;
            confirmed: number;
            attending: number;
            quorum: number;
            valid: boolean;
            experts: Array<{
              expertId: number;
              name: string;
              status: string;
              statusLabel: string;
              agree: number;
              disagree: number;
              abstain: number;
              notVoted: number;
              passRate: number | null;
              abstainRate: number | null;
              submittedAt: string | null;
            }>;
            resultCount: number;
          }>;
          waitingFor: string[];
          tallyOpen: boolean;
          canPass: boolean;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/tally/return': {
    /** 回退：把某位专家已提交的表决票退回本人修改（计票完成前） */
    post: {
      params: {
        meetingId: number;
      };
      body: {
        expertId: number;
        opinion: string;
      };
      responses: {
        200: {
          meeting: {
            id: number;
            name: string;
            kind: string;
            status: string;
            activityName: string;
            committeeName: string;
          };
          readOnly: boolean;
          rounds: Array<{
            id: number;
            kind: string;
            label: string;
            panelName: string | null;
            method: 'vote' | 'score';
            methodLabel: string;
            status: string;
            statusLabel: string;
            confirmed: number;
            attending: number;
            quorum: number;
            valid: boolean;
            experts: Array<{
              expertId: number;
              name: string;
              status: string;
              statusLabel: string;
              agree: number;
              disagree: number;
              abstain: number;
              notVoted: number;
              passRate: number | null;
              abstainRate: number | null;
              submittedAt: string | null;
            }>;
            resultCount: number;
          }>;
          waitingFor: string[];
          tallyOpen: boolean;
          canPass: boolean;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/meetings/{meetingId}/tally/rounds/{roundId}/results': {
    /** 计票：某一轮参评人员的表决结果，按会议顺序分页（可按姓名开头筛选） */
    get: {
      params: {
        meetingId: number;
        roundId: number;
      };
      query: {
        page?: number;
        pageSize?: number;
        name?: string;
      };
      responses: {
        200: {
          total: number;
          results: Array<{
            dossierId: number;
            orderNo: number;
            applicantName: string;
            employerName: string | null;
            agree: number;
            disagree: number;
            abstain: number;
            notVoted: number;
            averageScore: number | null;
            panelScore: number | null;
            passed: boolean | null;
            resultLabel: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/message-pushes': {
    /** 已发送消息（已读 x / 共 y） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: number;
          /** 接收对象类型：unit 下级单位 | person 本单位申报人 */
          recipientKind: 'unit' | 'person';
          title: string;
          content: string;
          senderName: string;
          recipientCount: number;
          readCount: number;
          createdAt: string;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 发送消息（消息推送） */
    post: {
      body: {
        /** 接收对象类型：unit 下级单位 | person 本单位申报人 */
        recipientKind: 'unit' | 'person';
        /** 接收对象 */
        recipientIds: number[];
        /** 标题 */
        title: string;
        /** 消息内容 */
        content: string;
      };
      responses: {
        201: {
          id: number;
          recipientCount: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/message-pushes/{id}': {
    /** 已发送消息的详情与阅读回执 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          /** 接收对象类型：unit 下级单位 | person 本单位申报人 */
          recipientKind: 'unit' | 'person';
          title: string;
          content: string;
          senderName: string;
          recipientCount: number;
          readCount: number;
          createdAt: string;
          receipts: Array<{
            messageId: number;
            recipientId: number;
            recipientName: string;
            read: boolean;
            readAt: string | null;
            readBy: string | null;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/message-recipients/persons': {
    /** 本单位人员列表（可推送的申报人） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: number;
          name: string;
          detail: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/message-recipients/units': {
    /** 可推送的下级单位（按名称查询） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: number;
          name: string;
          detail: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/messages': {
    /** 我的消息 */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: number;
          kind: string;
          title: string;
          body: string | null;
          link: string | null;
          createdAt: string;
          read: boolean;
          readAt: string | null;
          /** 发送单位与发送人（消息推送）；系统提醒为 null */
          sender: {
            unitName: string;
            userName: string;
          } | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/messages/read': {
    /** 批量确认已读 */
    post: {
      body: {
        /** 消息 */
        ids: number[];
      };
      responses: {
        200: {
          count: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/messages/read-all': {
    /** 全部标记已读 */
    post: {
      responses: {
        200: {
          count: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/messages/unread-count': {
    /** 未读消息数 */
    get: {
      responses: {
        200: {
          count: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/messages/{id}/read': {
    /** 标记已读 */
    post: {
      params: {
        id: number;
      };
      responses: {
        200: {
          ok: boolean;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/my-unit': {
    /** 本单位基本信息 */
    get: {
      responses: {
        200: {
          id: number;
          name: string;
          creditCode: string | null;
          creditCodeDerived: boolean;
          unitType: string;
          unitTypeName: string;
          nature: string | null;
          natureName: string | null;
          regionCode: string | null;
          regionName: string | null;
          adminLevel: string | null;
          adminLevelName: string | null;
          phone: string | null;
          address: string | null;
          legalRepName: string | null;
          legalRepIdNumber: string | null;
          legalRepPhone: string | null;
          licence: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          parentId: number | null;
          parentName: string | null;
          pendingParentId: number | null;
          pendingParentName: string | null;
          registrationInstanceId: string | null;
          status: string;
          statusName: string;
          deactivatedReason: string | null;
          childCount: number;
          staffCount: number;
          version: number;
          createdAt: string;
          updatedAt: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 维护本单位基本信息（变更上级单位另行提交审核） */
    put: {
      body: {
        /** 统一社会信用代码：18 位；没有独立代码的下级机构为上级单位代码加两位序号 */
        creditCode: string;
        /** 单位名称 */
        name: string;
        /** 单位性质 */
        nature: 'agency' | 'institution' | 'enterprise' | 'social_org' | 'other';
        /** 职称业务归属地：办理职称业务的归属地，非单位所在地：省属单位选“四川省（省本级）”，市属单位选对应市（市本级） */
        regionCode: string;
        /** 联系电话 */
        phone: string;
        /** 单位地址 */
        address?: string;
        /** 营业执照或法人证书 */
        licence?: Array<{
          id: string;
          name: string;
          size: number;
          mime: string;
        }>;
        /** 法定代表人（负责人）姓名 */
        legalRepName?: string;
        /** 法定代表人身份证号码 */
        legalRepIdNumber?: string;
        /** 法定代表人联系电话 */
        legalRepPhone?: string;
        /** 单位类型 */
        unitType: 'hr_bureau' | 'employer' | 'department' | 'self_review_unit' | 'central_unit';
        version: number;
      };
      responses: {
        200: {
          id: number;
          name: string;
          creditCode: string | null;
          creditCodeDerived: boolean;
          unitType: string;
          unitTypeName: string;
          nature: string | null;
          natureName: string | null;
          regionCode: string | null;
          regionName: string | null;
          adminLevel: string | null;
          adminLevelName: string | null;
          phone: string | null;
          address: string | null;
          legalRepName: string | null;
          legalRepIdNumber: string | null;
          legalRepPhone: string | null;
          licence: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          parentId: number | null;
          parentName: string | null;
          pendingParentId: number | null;
          pendingParentName: string | null;
          registrationInstanceId: string | null;
          status: string;
          statusName: string;
          deactivatedReason: string | null;
          childCount: number;
          staffCount: number;
          version: number;
          createdAt: string;
          updatedAt: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/my-unit/parent-change': {
    /** 变更上级单位：提交新上级单位审核，通过前仍归原上级单位管理 */
    post: {
      body: {
        /** 新的上级单位 */
        parentId: number;
      };
      responses: {
        201: {
          instanceId: string;
          parentName: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/my/certificates': {
    /** 我的证书（申报人本人） */
    get: {
      responses: {
        200: Array<{
          id: number;
          certificateNo: string;
          kind: string;
          kindLabel: string;
          sourceType: string;
          dossierId: number | null;
          personName: string;
          idNumber: string;
          gender: string | null;
          series: string;
          specialty: string;
          titleName: string;
          level: string;
          committeeName: string | null;
          employerName: string | null;
          issuerName: string;
          approvalDate: string;
          documentNo: string;
          reviewDate: string | null;
          status: string;
          statusLabel: string;
          revokedAt: string | null;
          revokeReason: string | null;
          issuedAt: string;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/my/certificates/{id}/pdf': {
    /** 下载我的证书（PDF） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/my/title-recognitions': {
    /** 我的职称确认申请 */
    get: {
      responses: {
        200: Array<{
          id: number;
          personName: string;
          idNumber: string;
          unitId: number;
          unitName: string;
          series: string;
          seriesLabel: string;
          specialty: string;
          titleName: string;
          level: string;
          levelLabel: string;
          acquisition: string;
          acquisitionLabel: string;
          originalBody: string;
          obtainedDate: string;
          originalDocumentNo: string;
          certificateFileId: string;
          qualificationFileId: string;
          reason: string;
          status: 'reviewing' | 'returned' | 'confirmed' | 'rejected';
          statusLabel: string;
          auditPath: Array<{
            unitId: number;
            name: string;
          }>;
          confirmUnitId: number;
          confirmUnitName: string;
          currentUnitId: number | null;
          currentUnitName: string | null;
          returnReason: string | null;
          returnCount: number;
          rejectReason: string | null;
          approvalDate: string | null;
          documentNo: string | null;
          certificateId: number | null;
          certificateNo: string | null;
          taskId: string | null;
          confirming: boolean;
          submittedAt: string;
          decidedAt: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 提交职称确认申请（沿单位链逐级审核至人社部门确认） */
    post: {
      body: {
        /** 职称系列 */
        series: 'engineering' | 'agriculture' | 'health' | 'school_teacher' | 'vocational_teacher' | 'university_teacher' | 'economics' | 'accounting' | 'statistics' | 'auditing' | 'journalism' | 'publishing' | 'translation' | 'arts' | 'library' | 'museum' | 'archives' | 'crafts' | 'technical_school_teacher' | 'sports' | 'lab' | 'research' | 'social_work' | 'mass_culture';
        /** 专业 */
        specialty: string;
        /** 职称名称 */
        titleName: string;
        /** 职称层级 */
        level: 'senior_full' | 'senior_deputy' | 'intermediate' | 'junior';
        /** 取得方式 */
        acquisition: 'other_province' | 'before_system' | 'central_unit' | 'other';
        /** 原评审机构 */
        originalBody: string;
        /** 取得时间 */
        obtainedDate: string;
        /** 原发文文号 */
        originalDocumentNo: string;
        /** 职称证书扫描件 */
        certificateFileId: string;
        /** 任职资格文件 */
        qualificationFileId: string;
        /** 申请理由 */
        reason: string;
      };
      responses: {
        201: {
          id: number;
          personName: string;
          idNumber: string;
          unitId: number;
          unitName: string;
          series: string;
          seriesLabel: string;
          specialty: string;
          titleName: string;
          level: string;
          levelLabel: string;
          acquisition: string;
          acquisitionLabel: string;
          originalBody: string;
          obtainedDate: string;
          originalDocumentNo: string;
          certificateFileId: string;
          qualificationFileId: string;
          reason: string;
          status: 'reviewing' | 'returned' | 'confirmed' | 'rejected';
          statusLabel: string;
          auditPath: Array<{
            unitId: number;
            name: string;
          }>;
          confirmUnitId: number;
          confirmUnitName: string;
          currentUnitId: number | null;
          currentUnitName: string | null;
          returnReason: string | null;
          returnCount: number;
          rejectReason: string | null;
          approvalDate: string | null;
          documentNo: string | null;
          certificateId: number | null;
          certificateNo: string | null;
          taskId: string | null;
          confirming: boolean;
          submittedAt: string;
          decidedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/my/title-recognitions/{id}': {
    /** 我的职称确认申请详情 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          personName: string;
          idNumber: string;
          unitId: number;
          unitName: string;
          series: string;
          seriesLabel: string;
          specialty: string;
          titleName: string;
          level: string;
          levelLabel: string;
          acquisition: string;
          acquisitionLabel: string;
          originalBody: string;
          obtainedDate: string;
          originalDocumentNo: string;
          certificateFileId: string;
          qualificationFileId: string;
          reason: string;
          status: 'reviewing' | 'returned' | 'confirmed' | 'rejected';
          statusLabel: string;
          auditPath: Array<{
            unitId: number;
            name: string;
          }>;
          confirmUnitId: number;
          confirmUnitName: string;
          currentUnitId: number | null;
          currentUnitName: string | null;
          returnReason: string | null;
          returnCount: number;
          rejectReason: string | null;
          approvalDate: string | null;
          documentNo: string | null;
          certificateId: number | null;
          certificateNo: string | null;
          taskId: string | null;
          confirming: boolean;
          submittedAt: string;
          decidedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 修改被退回的申请并重新提交 */
    put: {
      params: {
        id: number;
      };
      body: {
        /** 职称系列 */
        series: 'engineering' | 'agriculture' | 'health' | 'school_teacher' | 'vocational_teacher' | 'university_teacher' | 'economics' | 'accounting' | 'statistics' | 'auditing' | 'journalism' | 'publishing' | 'translation' | 'arts' | 'library' | 'museum' | 'archives' | 'crafts' | 'technical_school_teacher' | 'sports' | 'lab' | 'research' | 'social_work' | 'mass_culture';
        /** 专业 */
        specialty: string;
        /** 职称名称 */
        titleName: string;
        /** 职称层级 */
        level: 'senior_full' | 'senior_deputy' | 'intermediate' | 'junior';
        /** 取得方式 */
        acquisition: 'other_province' | 'before_system' | 'central_unit' | 'other';
        /** 原评审机构 */
        originalBody: string;
        /** 取得时间 */
        obtainedDate: string;
        /** 原发文文号 */
        originalDocumentNo: string;
        /** 职称证书扫描件 */
        certificateFileId: string;
        /** 任职资格文件 */
        qualificationFileId: string;
        /** 申请理由 */
        reason: string;
      };
      responses: {
        200: {
          id: number;
          personName: string;
          idNumber: string;
          unitId: number;
          unitName: string;
          series: string;
          seriesLabel: string;
          specialty: string;
          titleName: string;
          level: string;
          levelLabel: string;
          acquisition: string;
          acquisitionLabel: string;
          originalBody: string;
          obtainedDate: string;
          originalDocumentNo: string;
          certificateFileId: string;
          qualificationFileId: string;
          reason: string;
          status: 'reviewing' | 'returned' | 'confirmed' | 'rejected';
          statusLabel: string;
          auditPath: Array<{
            unitId: number;
            name: string;
          }>;
          confirmUnitId: number;
          confirmUnitName: string;
          currentUnitId: number | null;
          currentUnitName: string | null;
          returnReason: string | null;
          returnCount: number;
          rejectReason: string | null;
          approvalDate: string | null;
          documentNo: string | null;
          certificateId: number | null;
          certificateNo: string | null;
          taskId: string | null;
          confirming: boolean;
          submittedAt: string;
          decidedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 删除申请（职称确认记录不能删除：409） */
    delete: {
      params: {
        id: number;
      };
      responses: {
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/permissions': {
    /** 本单位可授予的权限（按菜单分组） */
    get: {
      responses: {
        200: Array<{
          id: string;
          name: string;
          group: string;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/process-definitions': {
    /** 全部流程及其版本（含每个版本的用户任务、表单与候选人，以及运行中的实例数） */
    get: {
      responses: {
        200: Array<{
          id: string;
          key: string;
          name: string;
          latestVersion: number;
          versions: Array<{
            id: number;
            key: string;
            version: number;
            name: string;
            contentHash: string;
            deployedAt: string;
            deployedBy: number | null;
            running: number;
            starterRoles: string[];
            userTasks: Array<{
              id: string;
              name: string;
              formKey: string | null;
              candidateRoles: string | null;
              candidateUnit: string | null;
              candidateScope: string;
              candidateUsers: string | null;
              assignee: string | null;
              dueDate: string | null;
              actions: string[];
              multiInstance: boolean;
            }>;
          }>;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
    /** 部署流程图：检查通过且内容有变化时保存为新版本；否则返回每个问题及其元素 */
    post: {
      body: {
        xml: string;
      };
      responses: {
        200: {
          created: false;
          key: string;
          version: number;
          warnings: Array<{
            elementId: string | null;
            elementType?: string;
            rule: string;
            message: string;
            severity: 'error' | 'warning';
          }>;
        };
        201: {
          created: true;
          key: string;
          version: number;
          warnings: Array<{
            elementId: string | null;
            elementType?: string;
            rule: string;
            message: string;
            severity: 'error' | 'warning';
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/process-definitions/lint-options': {
    /** 部署时检查流程图所依据的本系统信息：已注册的服务任务处理器、已定义的表单、已部署的流程（流程编辑器用它按同样的规则检查；null 表示不检查该项） */
    get: {
      responses: {
        200: {
          handlers: string[] | null;
          formKeys: string[] | null;
          deployedKeys: string[] | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/process-definitions/moddle': {
    /** zcps 扩展属性的 moddle 描述（流程编辑器用） */
    get: {
      responses: {
        200: Record<string, unknown>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/process-definitions/{key}/draft': {
    /** 流程图草稿 */
    get: {
      params: {
        key: string;
      };
      responses: {
        200: {
          key: string;
          xml: string;
          baseVersion: number | null;
          updatedBy: number | null;
          updatedAt: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
    /** 保存流程图草稿（不检查、不部署） */
    put: {
      params: {
        key: string;
      };
      body: {
        xml: string;
        baseVersion?: number | null;
      };
      responses: {
        200: {
          key: string;
          xml: string;
          baseVersion: number | null;
          updatedBy: number | null;
          updatedAt: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
    /** 丢弃草稿 */
    delete: {
      params: {
        key: string;
      };
      responses: {
        200: {
          key: string;
          deleted: boolean;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/process-definitions/{key}/migrations': {
    /** 最近的迁移记录 */
    get: {
      params: {
        key: string;
      };
      responses: {
        200: Array<{
          id: number;
          processKey: string;
          fromVersion: number;
          toVersion: number;
          mapping: Record<string, string>;
          status: 'running' | 'done' | 'failed';
          total: number;
          migrated: number;
          already: number;
          refused: number;
          failed: number;
          problems: Array<{
            instanceId: string;
            status: string;
            reason: string | null;
          }>;
          error: string | null;
          startedAt: string;
          finishedAt: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
    /** 执行迁移：分批迁移源版本的运行中实例（每个实例一个事务），返回进度记录；同一流程同时只能有一个迁移在运行 */
    post: {
      params: {
        key: string;
      };
      body: {
        fromVersion: number;
        toVersion: number;
        mapping?: Record<string, string>;
      };
      responses: {
        202: {
          id: number;
          processKey: string;
          fromVersion: number;
          toVersion: number;
          mapping: Record<string, string>;
          status: 'running' | 'done' | 'failed';
          total: number;
          migrated: number;
          already: number;
          refused: number;
          failed: number;
          problems: Array<{
            instanceId: string;
            status: string;
            reason: string | null;
          }>;
          error: string | null;
          startedAt: string;
          finishedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/process-definitions/{key}/migrations/plan': {
    /** 迁移运行中实例（试运行）：每个实例所在的元素及其在目标版本中的位置，不能迁移的写明原因 */
    post: {
      params: {
        key: string;
      };
      body: {
        fromVersion: number;
        toVersion: number;
        mapping?: Record<string, string>;
      };
      responses: {
        200: {
          processKey: string;
          fromVersion: number;
          toVersion: number;
          mapping: Record<string, string>;
          targets: Array<{
            id: string;
            name: string | null;
            type: string;
          }>;
          instances: Array<{
            instanceId: string;
            rootInstanceId: string;
            businessKey: string | null;
            status: 'ok' | 'refused' | 'migrated';
            reason: string | null;
            elements: Array<{
              elementId: string;
              elementName: string | null;
              type: string;
              targetId: string | null;
              targetName: string | null;
              targetType: string | null;
              ok: boolean;
              reason: string | null;
            }>;
          }>;
          counts: {
            total: number;
            ok: number;
            refused: number;
            migrated: number;
          };
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/process-definitions/{key}/migrations/{id}': {
    /** 一次迁移的进度与结果 */
    get: {
      params: {
        key: string;
        id: number;
      };
      responses: {
        200: {
          id: number;
          processKey: string;
          fromVersion: number;
          toVersion: number;
          mapping: Record<string, string>;
          status: 'running' | 'done' | 'failed';
          total: number;
          migrated: number;
          already: number;
          refused: number;
          failed: number;
          problems: Array<{
            instanceId: string;
            status: string;
            reason: string | null;
          }>;
          error: string | null;
          startedAt: string;
          finishedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/process-definitions/{key}/versions/{version}': {
    /** 某个版本的流程图（BPMN XML）与元数据 */
    get: {
      params: {
        key: string;
        version: number;
      };
      responses: {
        200: {
          id: number;
          key: string;
          version: number;
          name: string;
          contentHash: string;
          deployedAt: string;
          deployedBy: number | null;
          running: number;
          starterRoles: string[];
          userTasks: Array<{
            id: string;
            name: string;
            formKey: string | null;
            candidateRoles: string | null;
            candidateUnit: string | null;
            candidateScope: string;
            candidateUsers: string | null;
            assignee: string | null;
            dueDate: string | null;
            actions: string[];
            multiInstance: boolean;
          }>;
          xml: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/process-instances': {
    /** 流程实例列表（流程监控看全部；审核经办人看本人可查看的）：按流程、状态、申报人、身份证号、单位查找 */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: string;
          processKey: string;
          /** 流程 */
          processName: string;
          processVersion: number;
          businessKey: string | null;
          status: string;
          summary: Record<string, unknown> | null;
          /** 申报人 */
          applicantName: string | null;
          /** 身份证号 */
          idNumber: string | null;
          /** 单位 */
          unitName: string | null;
          /** 评审活动 */
          activityName: string | null;
          /** 系列 */
          seriesLabel: string | null;
          /** 层级 */
          levelLabel: string | null;
          openIncidents: number;
          startedAt: string;
          endedAt: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
    /** 发起流程（最新版本） */
    post: {
      body: {
        processKey: string;
        businessKey?: string | null;
        variables?: Record<string, unknown>;
      };
      responses: {
        201: {
          id: string;
          processKey: string;
          processName: string;
          processVersion: number;
          definitionId: number;
          businessKey: string | null;
          parentInstanceId: string | null;
          rootInstanceId: string;
          status: string;
          revision: number;
          variables: Record<string, unknown>;
          summary: Record<string, unknown> | null;
          trail: string[];
          openIncidents: number;
          startedBy: number | null;
          startedAt: string;
          endedAt: string | null;
          tasks: Array<{
            id: string;
            instanceId: string;
            elementId: string;
            name: string;
            formKey: string | null;
            candidateRoles: string[];
            candidateUnitId: number | null;
            candidateUserIds: number[];
            assigneeId: number | null;
            createdAt: string;
            dueAt: string | null;
          }>;
          waitingMessages: Array<{
            instanceId: string;
            elementId: string;
            elementName: string | null;
            name: string;
            correlationKey: string | null;
            since: string;
          }>;
          history: Array<{
            id: number;
            instanceId: string;
            type: string;
            elementId: string | null;
            elementName: string | null;
            taskId: string | null;
            actorId: number | null;
            actorName: string | null;
            action: string | null;
            opinion: string | null;
            data: Record<string, unknown> | null;
            createdAt: string;
            actionLabel: string | null;
            unitName: string | null;
          }>;
          children: Array<{
            id: string;
            processKey: string;
            status: string;
            startedAt: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/process-instances/{id}': {
    /** 流程实例：版本、状态、当前任务与历史 */
    get: {
      params: {
        id: string;
      };
      responses: {
        200: {
          id: string;
          processKey: string;
          processName: string;
          processVersion: number;
          definitionId: number;
          businessKey: string | null;
          parentInstanceId: string | null;
          rootInstanceId: string;
          status: string;
          revision: number;
          variables: Record<string, unknown>;
          summary: Record<string, unknown> | null;
          trail: string[];
          openIncidents: number;
          startedBy: number | null;
          startedAt: string;
          endedAt: string | null;
          tasks: Array<{
            id: string;
            instanceId: string;
            elementId: string;
            name: string;
            formKey: string | null;
            candidateRoles: string[];
            candidateUnitId: number | null;
            candidateUserIds: number[];
            assigneeId: number | null;
            createdAt: string;
            dueAt: string | null;
          }>;
          waitingMessages: Array<{
            instanceId: string;
            elementId: string;
            elementName: string | null;
            name: string;
            correlationKey: string | null;
            since: string;
          }>;
          history: Array<{
            id: number;
            instanceId: string;
            type: string;
            elementId: string | null;
            elementName: string | null;
            taskId: string | null;
            actorId: number | null;
            actorName: string | null;
            action: string | null;
            opinion: string | null;
            data: Record<string, unknown> | null;
            createdAt: string;
            actionLabel: string | null;
            unitName: string | null;
          }>;
          children: Array<{
            id: string;
            processKey: string;
            status: string;
            startedAt: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/process-instances/{id}/cancel': {
    /** 取消流程实例（待办取消、子流程一并取消，记录原因） */
    post: {
      params: {
        id: string;
      };
      body: {
        /** 取消原因 */
        reason: string;
        revision?: number;
      };
      responses: {
        200: {
          id: string;
          processKey: string;
          processName: string;
          processVersion: number;
          definitionId: number;
          businessKey: string | null;
          parentInstanceId: string | null;
          rootInstanceId: string;
          status: string;
          revision: number;
          variables: Record<string, unknown>;
          summary: Record<string, unknown> | null;
          trail: string[];
          openIncidents: number;
          startedBy: number | null;
          startedAt: string;
          endedAt: string | null;
          tasks: Array<{
            id: string;
            instanceId: string;
            elementId: string;
            name: string;
            formKey: string | null;
            candidateRoles: string[];
            candidateUnitId: number | null;
            candidateUserIds: number[];
            assigneeId: number | null;
            createdAt: string;
            dueAt: string | null;
          }>;
          waitingMessages: Array<{
            instanceId: string;
            elementId: string;
            elementName: string | null;
            name: string;
            correlationKey: string | null;
            since: string;
          }>;
          history: Array<{
            id: number;
            instanceId: string;
            type: string;
            elementId: string | null;
            elementName: string | null;
            taskId: string | null;
            actorId: number | null;
            actorName: string | null;
            action: string | null;
            opinion: string | null;
            data: Record<string, unknown> | null;
            createdAt: string;
            actionLabel: string | null;
            unitName: string | null;
          }>;
          children: Array<{
            id: string;
            processKey: string;
            status: string;
            startedAt: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/process-instances/{id}/diagram': {
    /** 流程实例所用版本的流程图（BPMN XML） */
    get: {
      params: {
        id: string;
      };
      responses: {
        200: {
          key: string;
          version: number;
          name: string;
          xml: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/process-instances/{id}/progress': {
    /** 查看进度：审核链（申报人 → 申报单位 → 主管部门 → 人社部门 → 评委会，未经过的层级不列出）、当前办理单位与办理期限 */
    get: {
      params: {
        id: string;
      };
      responses: {
        200: {
          instanceId: string;
          status: string;
          statusLabel: string;
          forStarter: boolean;
          steps: Array<{
            key: 'applicant' | 'employer' | 'superior' | 'department' | 'bureau' | 'committee';
            label: string;
            holder: string | null;
            state: 'done' | 'current' | 'pending';
            tasks: Array<{
              name: string;
              dueAt: string | null;
            }>;
            dueAt: string | null;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/process-messages': {
    /** 流程消息：流程间发送的消息（待接收、已送达、已过期），可按状态、消息名称、关联键筛选 */
    get: {
      query: {
        filter?: string;
        range?: string;
        sort?: string;
      };
      responses: {
        200: Array<{
          id: number;
          /** 消息 */
          name: string;
          /** 关联键 */
          correlationKey: string | null;
          payload: Record<string, unknown>;
          /** 状态 */
          status: 'pending' | 'delivered' | 'expired';
          sourceInstanceId: string | null;
          /** 发送流程 */
          sourceProcessKey: string | null;
          sourceElementId: string | null;
          targetInstanceId: string | null;
          targetElementId: string | null;
          attempts: number;
          lastError: string | null;
          /** 发送时间 */
          createdAt: string;
          /** 保留至 */
          expiresAt: string;
          deliveredAt: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/public/activities': {
    /** 对外公开的评审活动（分页、筛选：q、year、level、committeeId） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: number;
          name: string;
          scope: string | null;
          year: number;
          kind: string;
          kindLabel: string;
          committeeId: number;
          committeeName: string;
          organiserUnitName: string;
          startsAt: string | null;
          firstDeadline: string | null;
          revisionDeadline: string | null;
          receiptDeadline: string | null;
          levels: string[];
          levelLabels: string[];
          specialties: string[];
          publishedAt: string | null;
          phase: string | null;
          phaseLabel: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/public/activities/{id}': {
    /** 评审活动通知（含评审政策文件） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          name: string;
          scope: string | null;
          year: number;
          kind: string;
          committeeId: number;
          committeeName: string;
          organiserUnitName: string;
          reviewMethod: string;
          writtenExam: string;
          defense: string;
          startsAt: string | null;
          firstDeadline: string | null;
          revisionDeadline: string | null;
          receiptDeadline: string | null;
          unitReviewDeadline: string | null;
          departmentReviewDeadline: string | null;
          departmentRevisionDeadline: string | null;
          healthPage: boolean;
          schoolPage: boolean;
          vocationalPage: boolean;
          policyFiles: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          documentNumber: string | null;
          levels: string[];
          specialties: string[];
          minContinuingEducationHours: number;
          achievements: Array<Record<string, unknown>>;
          breakthroughConditions: Array<Record<string, unknown>>;
          materials: Array<Record<string, unknown>>;
          publishedAt: string | null;
          kindLabel: string;
          reviewMethodLabel: string;
          writtenExamLabel: string;
          defenseLabel: string;
          levelLabels: string[];
          phase: string | null;
          phaseLabel: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/public/activities/{id}/files/{fileId}': {
    /** 下载评审政策文件 */
    get: {
      params: {
        id: number;
        fileId: string;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/public/announcements': {
    /** 已发布的通知公告（按类型筛选、按标题搜索） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: number;
          unitName: string;
          /** 公告类型 */
          type: 'notice' | 'policy' | 'document' | 'standard' | 'upload' | 'faq' | 'publicity' | 'eligibility';
          typeLabel: string;
          title: string;
          publishedAt: string | null;
          attachments: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          content: string;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/public/announcements/{id}': {
    /** 通知公告详情 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          unitName: string;
          /** 公告类型 */
          type: 'notice' | 'policy' | 'document' | 'standard' | 'upload' | 'faq' | 'publicity' | 'eligibility';
          typeLabel: string;
          title: string;
          publishedAt: string | null;
          attachments: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          content: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/public/announcements/{id}/files/{fileId}': {
    /** 下载通知公告的附件 */
    get: {
      params: {
        id: number;
        fileId: string;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/public/certificate-keys': {
    /** 发证单位的签名公钥（含已停用的），用于离线核验证书 */
    get: {
      responses: {
        200: Array<{
          keyId: string;
          unitId: number;
          unitName: string;
          publicKey: string;
          validFrom: string;
          validTo: string | null;
          active: boolean;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/public/certificates/verify': {
    /** 证书核验（二维码）：验证签名，答复 有效 / 已撤销 / 伪造 */
    get: {
      query: {
        p: string;
        s: string;
      };
      responses: {
        200: {
          result: 'valid' | 'revoked' | 'forged';
          resultLabel: string;
          reason: string | null;
          keyId: string | null;
          certificate: {
            certificateNo: string;
            personName: string;
            idNumber: string;
            series: string;
            specialty: string;
            titleName: string;
            level: string;
            kindLabel: string;
            committeeName: string | null;
            issuerName: string;
            approvalDate: string;
            documentNo: string;
            status: string;
            statusLabel: string;
            revokedOn: string | null;
            revokeReason: string | null;
          } | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/public/certificates/{certificateNo}': {
    /** 按证书编号查询证书（校验位先行校验） */
    get: {
      params: {
        certificateNo: string;
      };
      responses: {
        200: {
          result: 'valid' | 'revoked' | 'forged';
          resultLabel: string;
          reason: string | null;
          keyId: string | null;
          certificate: {
            certificateNo: string;
            personName: string;
            idNumber: string;
            series: string;
            specialty: string;
            titleName: string;
            level: string;
            kindLabel: string;
            committeeName: string | null;
            issuerName: string;
            approvalDate: string;
            documentNo: string;
            status: string;
            statusLabel: string;
            revokedOn: string | null;
            revokeReason: string | null;
          } | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/public/publicity': {
    /** 评审结果公示（公示中和已结束的公示公告） */
    get: {
      responses: {
        200: Array<{
          id: number;
          meetingId: number;
          title: string;
          committeeName: string;
          activityName: string;
          meetingName: string;
          status: 'drafting' | 'published' | 'holding' | 'ended';
          statusLabel: string;
          periodStart: string | null;
          periodEnd: string | null;
          contactPerson: string | null;
          contactPhone: string | null;
          contactAddress: string | null;
          publishedAt: string | null;
          endedAt: string | null;
          passedCount: number;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/public/publicity/{id}': {
    /** 评审结果公示公告（公示名单） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          meetingId: number;
          title: string;
          committeeName: string;
          activityName: string;
          meetingName: string;
          status: 'drafting' | 'published' | 'holding' | 'ended';
          statusLabel: string;
          periodStart: string | null;
          periodEnd: string | null;
          contactPerson: string | null;
          contactPhone: string | null;
          contactAddress: string | null;
          publishedAt: string | null;
          endedAt: string | null;
          passedCount: number;
          candidates: Array<{
            dossierId: number;
            name: string;
            employer: string;
            series: string;
            specialty: string;
            level: string;
            withdrawn: boolean;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/public/publicity/{id}/pdf': {
    /** 下载公示公告（PDF） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/public/units': {
    /** 已通过审核的单位（注册时选择上级单位、申报人选择工作单位） */
    get: {
      query: {
        q?: string;
        unitType?: string;
        id?: number;
      };
      responses: {
        200: Array<{
          id: number;
          name: string;
          unitType: string;
          unitTypeName: string;
          regionName: string | null;
        }>;
      };
    };
  };
  '/api/publicity/complaints/mine': {
    /** 我的反馈：本人提出的投诉及核实结论 */
    get: {
      responses: {
        200: Array<{
          id: number;
          noticeId: number;
          meetingId: number;
          meetingName: string;
          committeeName: string;
          dossierId: number;
          candidateName: string;
          kind: 'online' | 'offline';
          kindLabel: string;
          reason: string;
          evidence: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          status: 'investigating' | 'upheld' | 'dismissed';
          statusLabel: string;
          conclusion: string | null;
          concludedAt: string | null;
          createdAt: string;
          complainantName: string | null;
          complainantPhone: string | null;
          complainantIdentity: string | null;
          instanceId: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/publicity/{id}/complaints': {
    /** 我要反馈：对公示中的参评人员提出投诉（事由、证明材料） */
    post: {
      params: {
        id: number;
      };
      body: {
        /** 被投诉人 */
        dossierId: number;
        /** 投诉事由 */
        reason: string;
        /** 证明材料 */
        evidence?: string[];
      };
      responses: {
        201: {
          id: number;
          noticeId: number;
          meetingId: number;
          meetingName: string;
          committeeName: string;
          dossierId: number;
          candidateName: string;
          kind: 'online' | 'offline';
          kindLabel: string;
          reason: string;
          evidence: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          status: 'investigating' | 'upheld' | 'dismissed';
          statusLabel: string;
          conclusion: string | null;
          concludedAt: string | null;
          createdAt: string;
          complainantName: string | null;
          complainantPhone: string | null;
          complainantIdentity: string | null;
          instanceId: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/published-activities': {
    /** 评审活动公告：已发布的评审活动（含不对外公开的；分页、筛选：q、year、level、committeeId） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: number;
          name: string;
          scope: string | null;
          year: number;
          kind: string;
          kindLabel: string;
          committeeId: number;
          committeeName: string;
          organiserUnitName: string;
          startsAt: string | null;
          firstDeadline: string | null;
          revisionDeadline: string | null;
          receiptDeadline: string | null;
          levels: string[];
          levelLabels: string[];
          specialties: string[];
          publishedAt: string | null;
          phase: string | null;
          phaseLabel: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/published-activities/{id}': {
    /** 评审活动通知（已发布） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          name: string;
          scope: string | null;
          year: number;
          kind: string;
          committeeId: number;
          committeeName: string;
          organiserUnitName: string;
          reviewMethod: string;
          writtenExam: string;
          defense: string;
          startsAt: string | null;
          firstDeadline: string | null;
          revisionDeadline: string | null;
          receiptDeadline: string | null;
          unitReviewDeadline: string | null;
          departmentReviewDeadline: string | null;
          departmentRevisionDeadline: string | null;
          healthPage: boolean;
          schoolPage: boolean;
          vocationalPage: boolean;
          policyFiles: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          documentNumber: string | null;
          levels: string[];
          specialties: string[];
          minContinuingEducationHours: number;
          achievements: Array<Record<string, unknown>>;
          breakthroughConditions: Array<Record<string, unknown>>;
          materials: Array<Record<string, unknown>>;
          publishedAt: string | null;
          kindLabel: string;
          reviewMethodLabel: string;
          writtenExamLabel: string;
          defenseLabel: string;
          levelLabels: string[];
          phase: string | null;
          phaseLabel: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/published-activities/{id}/files/{fileId}': {
    /** 下载评审政策文件 */
    get: {
      params: {
        id: number;
        fileId: string;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/regions': {
    /** 职称业务归属地（行政区划） */
    get: {
      query: {
        filter?: string;
        range?: string;
        sort?: string;
      };
      responses: {
        200: Array<{
          id: string;
          code: string;
          name: string;
          label: string;
          level: string;
          parentCode: string | null;
        }>;
      };
    };
  };
  '/api/regions/{code}': {
    /** 一个职称业务归属地 */
    get: {
      params: {
        code: string;
      };
      responses: {
        200: {
          id: string;
          code: string;
          name: string;
          label: string;
          level: string;
          parentCode: string | null;
        };
        404: components['schemas']['ApiError'];
      };
    };
  };
  '/api/registrations': {
    /** 单位自行注册：创建待审核的单位和它的第一个经办人（超级管理员），登录后完善信息提交上级单位审核 */
    post: {
      body: {
        unit: {
          /** 统一社会信用代码：18 位；没有独立代码的下级机构为上级单位代码加两位序号 */
          creditCode: string;
          /** 单位名称 */
          name: string;
          /** 单位性质 */
          nature: 'agency' | 'institution' | 'enterprise' | 'social_org' | 'other';
          /** 单位类型 */
          unitType: 'employer' | 'department' | 'self_review_unit' | 'central_unit';
          /** 职称业务归属地：办理职称业务的归属地，非单位所在地：省属单位选“四川省（省本级）”，市属单位选对应市（市本级） */
          regionCode: string;
          /** 联系电话 */
          phone: string;
          /** 上级单位 */
          parentId: number;
        };
        admin: {
          /** 登录账号 */
          username: string;
          /** 经办人姓名 */
          displayName: string;
          /** 经办人身份证号码 */
          idNumber: string;
          /** 经办人手机号码 */
          phone: string;
          /** 密码 */
          password: string;
        };
      };
      responses: {
        201: {
          unitId: number;
          username: string;
          parentName: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/result-confirmations': {
    /** 确认单位：有待确认或已确认人员的评审会议及各状态人数（kind=direct 直接评审，delegated 委托评审；人员分页见 …/:meetingId/candidates） */
    get: {
      query: {
        kind?: 'direct' | 'delegated';
      };
      responses: {
        200: Array<{
          meetingId: number;
          meetingName: string;
          committeeName: string;
          activityName: string;
          qualificationFile: {
            id: string;
            name: string;
          } | null;
          counts: {
            confirming: number;
            supplement: number;
            passed: number;
            failed: number;
            /** 确认通过、尚未提交发证信息（或发证单位已退回）的人数 */
            notHandedOver: number;
          };
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/result-confirmations/{meetingId}/candidates': {
    /** 确认单位：本单位在该会议中的人员，按会议顺序分页（可按状态、姓名开头筛选） */
    get: {
      params: {
        meetingId: number;
      };
      query: {
        page?: number;
        pageSize?: number;
        state?: 'confirming' | 'supplement' | 'passed' | 'failed';
        name?: string;
        kind?: 'direct' | 'delegated';
      };
      responses: {
        200: {
          total: number;
          candidates: Array<{
            meetingId: number;
            dossierId: number;
            applicantName: string;
            idNumber: string | null;
            employer: string | null;
            series: string | null;
            level: string | null;
            specialty: string | null;
            reviewResult: string;
            unitId: number;
            unitName: string;
            delegated: boolean;
            state: 'confirming' | 'supplement' | 'passed' | 'failed';
            stateLabel: string;
            returnReason: string | null;
            returnCount: number;
            reason: string | null;
            decidedAt: string | null;
            documentNo: string | null;
            approvalDate: string | null;
            handedAt: string | null;
            /** 授权管理单位（或委托单位）取消发证的原因：已退回评委会，可重新提交发证信息 */
            certificateReturnReason: string | null;
            certified: boolean;
            openStep: string | null;
            taskId: string | null;
            step: 'review' | 'decision' | 'supplement' | 'close' | null;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/result-confirmations/{meetingId}/candidates/{dossierId}': {
    /** 申报人的申报材料和评委会评审结果（只读） */
    get: {
      params: {
        meetingId: number;
        dossierId: number;
      };
      responses: {
        200: {
          candidate: {
            meetingId: number;
            dossierId: number;
            applicantName: string;
            idNumber: string | null;
            employer: string | null;
            series: string | null;
            level: string | null;
            specialty: string | null;
            reviewResult: string;
            unitId: number;
            unitName: string;
            delegated: boolean;
            state: 'confirming' | 'supplement' | 'passed' | 'failed';
            stateLabel: string;
            returnReason: string | null;
            returnCount: number;
            reason: string | null;
            decidedAt: string | null;
            documentNo: string | null;
            approvalDate: string | null;
            handedAt: string | null;
            /** 授权管理单位（或委托单位）取消发证的原因：已退回评委会，可重新提交发证信息 */
            certificateReturnReason: string | null;
            certified: boolean;
            openStep: string | null;
            taskId: string | null;
            step: 'review' | 'decision' | 'supplement' | 'close' | null;
          };
          meeting: {
            meetingId: number;
            meetingName: string;
            committeeName: string;
            activityName: string;
          };
          dossierData: Record<string, unknown>;
          dossierInstanceId: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/result-confirmations/{meetingId}/candidates/{dossierId}/decision': {
    /** 结果确认：通过，或不通过（须填原因） */
    post: {
      params: {
        meetingId: number;
        dossierId: number;
      };
      body: {
        passed: boolean;
        reason?: string | null;
        taskId?: string;
      };
      responses: {
        200: {
          ok: true;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/result-confirmations/{meetingId}/candidates/{dossierId}/review': {
    /** 材料审阅：审阅无误（进入结果确认）或退回评委会补充材料（须填原因） */
    post: {
      params: {
        meetingId: number;
        dossierId: number;
      };
      body: {
        action: 'pass' | 'return';
        reason?: string | null;
        taskId?: string;
      };
      responses: {
        200: {
          ok: true;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/result-confirmations/{meetingId}/export': {
    /** 数据导出：本单位在该会议中的人员名册及评审、确认结果（Excel） */
    get: {
      params: {
        meetingId: number;
      };
      query: {
        kind?: 'direct' | 'delegated';
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/result-confirmations/{meetingId}/pass-all': {
    /** 一键通过：本单位在该会议中确认中的人员全部审阅无误并确认通过 */
    post: {
      params: {
        meetingId: number;
      };
      query: {
        kind?: 'direct' | 'delegated';
      };
      responses: {
        200: {
          passed: number;
          remaining: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/result-confirmations/{meetingId}/qualification-file': {
    /** 上传任职资格文件（先通过 /api/files 上传） */
    put: {
      params: {
        meetingId: number;
      };
      body: {
        fileId: string;
      };
      responses: {
        200: {
          ok: true;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/review-levels': {
    /** 某单位某事项的审核岗位（从低到高） */
    get: {
      query: {
        unitId: number;
        matterType: string;
      };
      responses: {
        200: {
          unitId: number;
          matterType: string;
          posts: Array<{
            name: string;
            userIds: number[];
            levelNo: number;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
      };
    };
    /** 保存某单位某事项的审核岗位（按顺序从低到高；空列表表示不分岗） */
    put: {
      body: {
        unitId: number;
        matterType: string;
        posts: Array<{
          name: string;
          userIds: number[];
        }>;
      };
      responses: {
        200: {
          unitId: number;
          matterType: string;
          posts: Array<{
            name: string;
            userIds: number[];
            levelNo: number;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
      };
    };
  };
  '/api/review-levels/matter-types': {
    /** 可配置多岗审核的事项；inUse：已部署的流程使用了它（否则配置暂不生效） */
    get: {
      responses: {
        200: Array<{
          id: string;
          name: string;
          inUse: boolean;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
      };
    };
  };
  '/api/roles': {
    /** 单位的角色（内置与自定义；默认本单位，管理下级单位的可查下级单位的） */
    get: {
      query: {
        unitId?: number;
      };
      responses: {
        200: Array<{
          id: string;
          name: string;
          description: string | null;
          builtIn: boolean;
          permissions: string[];
          permissionNames: string[];
          staffCount: number;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 新增角色 */
    post: {
      body: {
        name: string;
        description?: string;
        permissions: string[];
      };
      responses: {
        201: {
          id: string;
          name: string;
          description: string | null;
          builtIn: boolean;
          permissions: string[];
          permissionNames: string[];
          staffCount: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/roles/{id}': {
    /** 修改角色（内置角色不可改） */
    put: {
      params: {
        id: string;
      };
      body: {
        name: string;
        description?: string;
        permissions: string[];
      };
      responses: {
        200: {
          id: string;
          name: string;
          description: string | null;
          builtIn: boolean;
          permissions: string[];
          permissionNames: string[];
          staffCount: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 删除角色（已分配给工作人员的不能删除） */
    delete: {
      params: {
        id: string;
      };
      responses: {
        200: {
          id: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/saved-opinions': {
    /** 常用意见（系统预置的在前，其后是我的） */
    get: {
      responses: {
        200: Array<{
          id: number;
          text: string;
          sortOrder: number;
          preset: boolean;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
      };
    };
    /** 新增常用意见 */
    post: {
      body: {
        text: string;
        sortOrder?: number;
      };
      responses: {
        201: {
          id: number;
          text: string;
          sortOrder: number;
          preset: boolean;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
      };
    };
  };
  '/api/saved-opinions/{id}': {
    /** 修改常用意见 */
    put: {
      params: {
        id: number;
      };
      body: {
        text: string;
        sortOrder?: number;
      };
      responses: {
        200: {
          id: number;
          text: string;
          sortOrder: number;
          preset: boolean;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
      };
    };
    /** 删除常用意见 */
    delete: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          text: string;
          sortOrder: number;
          preset: boolean;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
      };
    };
  };
  '/api/settings/task-due-dates': {
    /** 各流程环节的办理期限 */
    get: {
      query: {
        processKey?: string;
      };
      responses: {
        200: Array<{
          id: string;
          processKey: string;
          processName: string;
          version: number;
          elementId: string;
          name: string;
          kind: 'task' | 'call';
          diagramDueDate: string | null;
          dueDate: string | null;
          effective: string | null;
          diagramLabel: string;
          effectiveLabel: string;
          amount: number | null;
          unit: 'working_days' | 'natural_days' | 'hours' | 'expression' | null;
          expression: string | null;
          note: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
      };
    };
  };
  '/api/settings/task-due-dates/{id}': {
    /** 设置某个环节的办理期限：数值和单位（工作日、自然日、小时），或表达式 */
    put: {
      params: {
        id: string;
      };
      body: {
        /** 期限数值 */
        amount?: number;
        /** 期限单位 */
        unit?: 'working_days' | 'natural_days' | 'hours';
        /** 表达式 */
        expression?: string;
      };
      responses: {
        200: {
          id: string;
          processKey: string;
          processName: string;
          version: number;
          elementId: string;
          name: string;
          kind: 'task' | 'call';
          diagramDueDate: string | null;
          dueDate: string | null;
          effective: string | null;
          diagramLabel: string;
          effectiveLabel: string;
          amount: number | null;
          unit: 'working_days' | 'natural_days' | 'hours' | 'expression' | null;
          expression: string | null;
          note: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
      };
    };
    /** 恢复某个环节的流程图默认期限 */
    delete: {
      params: {
        id: string;
      };
      responses: {
        200: {
          id: string;
          processKey: string;
          processName: string;
          version: number;
          elementId: string;
          name: string;
          kind: 'task' | 'call';
          diagramDueDate: string | null;
          dueDate: string | null;
          effective: string | null;
          diagramLabel: string;
          effectiveLabel: string;
          amount: number | null;
          unit: 'working_days' | 'natural_days' | 'hours' | 'expression' | null;
          expression: string | null;
          note: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
      };
    };
  };
  '/api/staff': {
    /** 工作人员列表（默认本单位） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: number;
          username: string;
          displayName: string;
          idNumber: string | null;
          phone: string | null;
          unitId: number;
          unitName: string;
          roles: string[];
          roleNames: string[];
          status: string;
          statusName: string;
          disabledReason: string | null;
          disabledReasonName: string | null;
          mustChangePassword: boolean;
          lastLoginAt: string | null;
          loginLockedUntil: string | null;
          createdAt: string;
          version: number;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 新增工作人员（返回一次性初始密码，首次登录须修改） */
    post: {
      body: {
        displayName: string;
        idNumber?: string;
        phone?: string;
        roles: string[];
        unitId?: number;
        username: string;
      };
      responses: {
        201: {
          staff: {
            id: number;
            username: string;
            displayName: string;
            idNumber: string | null;
            phone: string | null;
            unitId: number;
            unitName: string;
            roles: string[];
            roleNames: string[];
            status: string;
            statusName: string;
            disabledReason: string | null;
            disabledReasonName: string | null;
            mustChangePassword: boolean;
            lastLoginAt: string | null;
            loginLockedUntil: string | null;
            createdAt: string;
            version: number;
          };
          initialPassword: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/staff/{id}': {
    /** 工作人员 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          username: string;
          displayName: string;
          idNumber: string | null;
          phone: string | null;
          unitId: number;
          unitName: string;
          roles: string[];
          roleNames: string[];
          status: string;
          statusName: string;
          disabledReason: string | null;
          disabledReasonName: string | null;
          mustChangePassword: boolean;
          lastLoginAt: string | null;
          loginLockedUntil: string | null;
          createdAt: string;
          version: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 修改工作人员信息和角色 */
    put: {
      params: {
        id: number;
      };
      body: {
        displayName: string;
        idNumber?: string;
        phone?: string;
        roles: string[];
        version: number;
      };
      responses: {
        200: {
          id: number;
          username: string;
          displayName: string;
          idNumber: string | null;
          phone: string | null;
          unitId: number;
          unitName: string;
          roles: string[];
          roleNames: string[];
          status: string;
          statusName: string;
          disabledReason: string | null;
          disabledReasonName: string | null;
          mustChangePassword: boolean;
          lastLoginAt: string | null;
          loginLockedUntil: string | null;
          createdAt: string;
          version: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/staff/{id}/disable': {
    /** 停用账号 */
    post: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          username: string;
          displayName: string;
          idNumber: string | null;
          phone: string | null;
          unitId: number;
          unitName: string;
          roles: string[];
          roleNames: string[];
          status: string;
          statusName: string;
          disabledReason: string | null;
          disabledReasonName: string | null;
          mustChangePassword: boolean;
          lastLoginAt: string | null;
          loginLockedUntil: string | null;
          createdAt: string;
          version: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/staff/{id}/enable': {
    /** 启用（解禁）账号：超过 3 个月未登录被停用的人社账号由上级人社部门解禁 */
    post: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          username: string;
          displayName: string;
          idNumber: string | null;
          phone: string | null;
          unitId: number;
          unitName: string;
          roles: string[];
          roleNames: string[];
          status: string;
          statusName: string;
          disabledReason: string | null;
          disabledReasonName: string | null;
          mustChangePassword: boolean;
          lastLoginAt: string | null;
          loginLockedUntil: string | null;
          createdAt: string;
          version: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/staff/{id}/reset-password': {
    /** 重置密码（返回一次性初始密码，登录后须修改） */
    post: {
      params: {
        id: number;
      };
      responses: {
        200: {
          initialPassword: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/staff/{id}/unlock': {
    /** 解除登录锁定（连续 5 次密码错误被锁定 15 分钟的账号），记入操作日志 */
    post: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          username: string;
          displayName: string;
          idNumber: string | null;
          phone: string | null;
          unitId: number;
          unitName: string;
          roles: string[];
          roleNames: string[];
          status: string;
          statusName: string;
          disabledReason: string | null;
          disabledReasonName: string | null;
          mustChangePassword: boolean;
          lastLoginAt: string | null;
          loginLockedUntil: string | null;
          createdAt: string;
          version: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/subordinate-units': {
    /** 下级单位（本单位之下的全部单位） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: number;
          parentId: number | null;
          name: string;
          unitType: string;
          unitTypeName: string;
          adminLevel: string | null;
          regionName: string | null;
          path: string;
          status: string;
          creditCode: string | null;
          statusName: string;
          parentName: string | null;
          phone: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 新增下级单位：基本信息、法人信息、第一个经办人（该单位超级管理员，返回一次性初始密码） */
    post: {
      body: {
        unit: {
          /** 统一社会信用代码：18 位；没有独立代码的下级机构为上级单位代码加两位序号 */
          creditCode?: string;
          /** 单位名称 */
          name: string;
          /** 单位性质 */
          nature: 'agency' | 'institution' | 'enterprise' | 'social_org' | 'other';
          /** 职称业务归属地：办理职称业务的归属地，非单位所在地：省属单位选“四川省（省本级）”，市属单位选对应市（市本级） */
          regionCode: string;
          /** 联系电话 */
          phone: string;
          /** 单位地址 */
          address?: string;
          /** 营业执照或法人证书 */
          licence?: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          /** 法定代表人（负责人）姓名 */
          legalRepName?: string;
          /** 法定代表人身份证号码 */
          legalRepIdNumber?: string;
          /** 法定代表人联系电话 */
          legalRepPhone?: string;
          /** 单位类型 */
          unitType: 'hr_bureau' | 'employer' | 'department' | 'self_review_unit' | 'central_unit';
          /** 由本单位代码派生 */
          deriveCreditCode?: boolean;
        };
        admin: {
          /** 登录账号：4–32 位，以字母开头 */
          username: string;
          /** 经办人姓名 */
          displayName: string;
          /** 经办人身份证号码 */
          idNumber?: string;
          /** 经办人手机号码 */
          phone: string;
        };
      };
      responses: {
        201: {
          unit: {
            id: number;
            name: string;
            creditCode: string | null;
            creditCodeDerived: boolean;
            unitType: string;
            unitTypeName: string;
            nature: string | null;
            natureName: string | null;
            regionCode: string | null;
            regionName: string | null;
            adminLevel: string | null;
            adminLevelName: string | null;
            phone: string | null;
            address: string | null;
            legalRepName: string | null;
            legalRepIdNumber: string | null;
            legalRepPhone: string | null;
            licence: Array<{
              id: string;
              name: string;
              size: number;
              mime: string;
            }>;
            parentId: number | null;
            parentName: string | null;
            pendingParentId: number | null;
            pendingParentName: string | null;
            registrationInstanceId: string | null;
            status: string;
            statusName: string;
            deactivatedReason: string | null;
            childCount: number;
            staffCount: number;
            version: number;
            createdAt: string;
            updatedAt: string;
          };
          admin: {
            id: number;
            username: string;
            displayName: string;
            initialPassword: string | null;
          };
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/subordinate-units/creatable-types': {
    /** 本单位可新增的下级单位类型 */
    get: {
      responses: {
        200: Array<{
          id: string;
          name: string;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/subordinate-units/export': {
    /** 导出下级单位（Excel） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: unknown;
      };
    };
  };
  '/api/subordinate-units/{id}': {
    /** 下级单位详细信息 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          name: string;
          creditCode: string | null;
          creditCodeDerived: boolean;
          unitType: string;
          unitTypeName: string;
          nature: string | null;
          natureName: string | null;
          regionCode: string | null;
          regionName: string | null;
          adminLevel: string | null;
          adminLevelName: string | null;
          phone: string | null;
          address: string | null;
          legalRepName: string | null;
          legalRepIdNumber: string | null;
          legalRepPhone: string | null;
          licence: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          parentId: number | null;
          parentName: string | null;
          pendingParentId: number | null;
          pendingParentName: string | null;
          registrationInstanceId: string | null;
          status: string;
          statusName: string;
          deactivatedReason: string | null;
          childCount: number;
          staffCount: number;
          version: number;
          createdAt: string;
          updatedAt: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 编辑下级单位基本信息 */
    put: {
      params: {
        id: number;
      };
      body: {
        /** 统一社会信用代码：18 位；没有独立代码的下级机构为上级单位代码加两位序号 */
        creditCode: string;
        /** 单位名称 */
        name: string;
        /** 单位性质 */
        nature: 'agency' | 'institution' | 'enterprise' | 'social_org' | 'other';
        /** 职称业务归属地：办理职称业务的归属地，非单位所在地：省属单位选“四川省（省本级）”，市属单位选对应市（市本级） */
        regionCode: string;
        /** 联系电话 */
        phone: string;
        /** 单位地址 */
        address?: string;
        /** 营业执照或法人证书 */
        licence?: Array<{
          id: string;
          name: string;
          size: number;
          mime: string;
        }>;
        /** 法定代表人（负责人）姓名 */
        legalRepName?: string;
        /** 法定代表人身份证号码 */
        legalRepIdNumber?: string;
        /** 法定代表人联系电话 */
        legalRepPhone?: string;
        /** 单位类型 */
        unitType: 'hr_bureau' | 'employer' | 'department' | 'self_review_unit' | 'central_unit';
        version: number;
      };
      responses: {
        200: {
          id: number;
          name: string;
          creditCode: string | null;
          creditCodeDerived: boolean;
          unitType: string;
          unitTypeName: string;
          nature: string | null;
          natureName: string | null;
          regionCode: string | null;
          regionName: string | null;
          adminLevel: string | null;
          adminLevelName: string | null;
          phone: string | null;
          address: string | null;
          legalRepName: string | null;
          legalRepIdNumber: string | null;
          legalRepPhone: string | null;
          licence: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          parentId: number | null;
          parentName: string | null;
          pendingParentId: number | null;
          pendingParentName: string | null;
          registrationInstanceId: string | null;
          status: string;
          statusName: string;
          deactivatedReason: string | null;
          childCount: number;
          staffCount: number;
          version: number;
          createdAt: string;
          updatedAt: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 单位不能删除（答复原因）：请使用停用 */
    delete: {
      params: {
        id: number;
      };
      responses: {
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/subordinate-units/{id}/activate': {
    /** 重新启用下级单位 */
    post: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          name: string;
          creditCode: string | null;
          creditCodeDerived: boolean;
          unitType: string;
          unitTypeName: string;
          nature: string | null;
          natureName: string | null;
          regionCode: string | null;
          regionName: string | null;
          adminLevel: string | null;
          adminLevelName: string | null;
          phone: string | null;
          address: string | null;
          legalRepName: string | null;
          legalRepIdNumber: string | null;
          legalRepPhone: string | null;
          licence: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          parentId: number | null;
          parentName: string | null;
          pendingParentId: number | null;
          pendingParentName: string | null;
          registrationInstanceId: string | null;
          status: string;
          statusName: string;
          deactivatedReason: string | null;
          childCount: number;
          staffCount: number;
          version: number;
          createdAt: string;
          updatedAt: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/subordinate-units/{id}/deactivate': {
    /** 停用下级单位（有下级单位、在用工作人员或办理中的申报时拒绝）；单位不会被删除 */
    post: {
      params: {
        id: number;
      };
      body: {
        reason: string;
      };
      responses: {
        200: {
          id: number;
          name: string;
          creditCode: string | null;
          creditCodeDerived: boolean;
          unitType: string;
          unitTypeName: string;
          nature: string | null;
          natureName: string | null;
          regionCode: string | null;
          regionName: string | null;
          adminLevel: string | null;
          adminLevelName: string | null;
          phone: string | null;
          address: string | null;
          legalRepName: string | null;
          legalRepIdNumber: string | null;
          legalRepPhone: string | null;
          licence: Array<{
            id: string;
            name: string;
            size: number;
            mime: string;
          }>;
          parentId: number | null;
          parentName: string | null;
          pendingParentId: number | null;
          pendingParentName: string | null;
          registrationInstanceId: string | null;
          status: string;
          statusName: string;
          deactivatedReason: string | null;
          childCount: number;
          staffCount: number;
          version: number;
          createdAt: string;
          updatedAt: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/talent-stats': {
    /** 专技人才统计（本单位及下级单位审核通过的人员，按专业技术人员类别） */
    get: {
      responses: {
        200: {
          unitName: string;
          rows: Array<{
            total: number;
            senior_full: number;
            senior_deputy: number;
            intermediate: number;
            junior: number;
            certificate_only: number;
            other: number;
            female: number;
            minority: number;
            party: number;
            overseas: number;
            doctorate: number;
            master: number;
            bachelor: number;
            associate: number;
            secondary_below: number;
            category: string;
            label: string;
          }>;
          total: {
            total: number;
            senior_full: number;
            senior_deputy: number;
            intermediate: number;
            junior: number;
            certificate_only: number;
            other: number;
            female: number;
            minority: number;
            party: number;
            overseas: number;
            doctorate: number;
            master: number;
            bachelor: number;
            associate: number;
            secondary_below: number;
          };
          columns: Array<{
            key: string;
            label: string;
            group: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/talent-stats/export': {
    /** 专技人才统计导出 Excel（与页面相同的表头） */
    get: {
      responses: {
        200: unknown;
      };
    };
  };
  '/api/talents': {
    /** 专技人才审核列表：待本单位审核的（pending），或本单位及下级单位已提交的（all） */
    get: {
      query: {
        view?: 'pending' | 'all';
        status?: 'reviewing' | 'returned' | 'approved' | 'rejected';
        q?: string;
        offset?: number;
        limit?: number;
      };
      responses: {
        200: {
          total: number | null;
          items: Array<{
            id: number;
            userId: number;
            unitId: number;
            unitName: string;
            personName: string;
            gender: string;
            genderLabel: string;
            birthDate: string;
            idNumber: string;
            ethnicity: string;
            politicalStatus: string;
            politicalStatusLabel: string;
            origin: string;
            originLabel: string;
            education: string;
            educationLabel: string;
            category: string;
            categoryLabel: string;
            titleKind: string;
            titleKindLabel: string;
            level: string | null;
            levelLabel: string | null;
            series: string | null;
            seriesLabel: string | null;
            titleName: string | null;
            certificateName: string | null;
            status: 'draft' | 'reviewing' | 'returned' | 'approved' | 'rejected';
            statusLabel: string;
            auditPath: Array<{
              unitId: number;
              name: string;
            }>;
            currentUnitId: number | null;
            currentUnitName: string | null;
            returnReason: string | null;
            returnCount: number;
            rejectReason: string | null;
            instanceId: string | null;
            version: number;
            reviewable: boolean;
            submittedAt: string | null;
            decidedAt: string | null;
            updatedAt: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/talents/mine': {
    /** 我的专技人才信息（未登记时为空） */
    get: {
      responses: {
        200: {
          registration: {
            id: number;
            userId: number;
            unitId: number;
            unitName: string;
            personName: string;
            gender: string;
            genderLabel: string;
            birthDate: string;
            idNumber: string;
            ethnicity: string;
            politicalStatus: string;
            politicalStatusLabel: string;
            origin: string;
            originLabel: string;
            education: string;
            educationLabel: string;
            category: string;
            categoryLabel: string;
            titleKind: string;
            titleKindLabel: string;
            level: string | null;
            levelLabel: string | null;
            series: string | null;
            seriesLabel: string | null;
            titleName: string | null;
            certificateName: string | null;
            status: 'draft' | 'reviewing' | 'returned' | 'approved' | 'rejected';
            statusLabel: string;
            auditPath: Array<{
              unitId: number;
              name: string;
            }>;
            currentUnitId: number | null;
            currentUnitName: string | null;
            returnReason: string | null;
            returnCount: number;
            rejectReason: string | null;
            instanceId: string | null;
            version: number;
            reviewable: boolean;
            submittedAt: string | null;
            decidedAt: string | null;
            updatedAt: string;
          } | null;
          account: {
            displayName: string;
            idNumber: string | null;
            unitName: string | null;
          };
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 保存我的专技人才信息（首次保存即登记，待提交或已退回时可修改） */
    put: {
      body: {
        /** 姓名 */
        personName: string;
        /** 性别 */
        gender: 'male' | 'female';
        /** 出生日期 */
        birthDate: string;
        /** 证件号码 */
        idNumber: string;
        /** 民族 */
        ethnicity: '汉族' | '蒙古族' | '回族' | '藏族' | '维吾尔族' | '苗族' | '彝族' | '壮族' | '布依族' | '朝鲜族' | '满族' | '侗族' | '瑶族' | '白族' | '土家族' | '哈尼族' | '哈萨克族' | '傣族' | '黎族' | '傈僳族' | '佤族' | '畲族' | '高山族' | '拉祜族' | '水族' | '东乡族' | '纳西族' | '景颇族' | '柯尔克孜族' | '土族' | '达斡尔族' | '仫佬族' | '羌族' | '布朗族' | '撒拉族' | '毛南族' | '仡佬族' | '锡伯族' | '阿昌族' | '普米族' | '塔吉克族' | '怒族' | '乌孜别克族' | '俄罗斯族' | '鄂温克族' | '德昂族' | '保安族' | '裕固族' | '京族' | '塔塔尔族' | '独龙族' | '鄂伦春族' | '赫哲族' | '门巴族' | '珞巴族' | '基诺族' | '外国血统中国籍人士' | '其他';
        /** 政治面貌 */
        politicalStatus: 'party_member' | 'probationary_member' | 'league_member' | 'democratic_party' | 'masses';
        /** 人员身份 */
        origin: 'mainland' | 'hk_mo_tw' | 'foreign';
        /** 学历 */
        education: 'doctorate' | 'master' | 'bachelor' | 'associate' | 'secondary' | 'high_school';
        /** 专业技术人员类别 */
        category: 'university_teacher' | 'social_science_research' | 'natural_science_research' | 'health' | 'engineering' | 'agriculture' | 'journalism' | 'publishing' | 'library' | 'museum' | 'archives' | 'crafts' | 'arts' | 'sports' | 'translation' | 'economics' | 'accounting' | 'statistics' | 'auditing' | 'vocational_teacher' | 'technical_school_teacher' | 'school_teacher' | 'lab' | 'social_work' | 'other';
        /** 职称情况 */
        titleKind: 'title' | 'certificate' | 'none';
        /** 职称层级 */
        level?: 'senior_full' | 'senior_deputy' | 'intermediate' | 'junior' | null;
        /** 职称系列 */
        series?: 'engineering' | 'agriculture' | 'health' | 'school_teacher' | 'vocational_teacher' | 'university_teacher' | 'economics' | 'accounting' | 'statistics' | 'auditing' | 'journalism' | 'publishing' | 'translation' | 'arts' | 'library' | 'museum' | 'archives' | 'crafts' | 'technical_school_teacher' | 'sports' | 'lab' | 'research' | 'social_work' | 'mass_culture' | null;
        /** 职称名称 */
        titleName?: string | null;
        /** 职业资格证书名称 */
        certificateName?: string | null;
        version?: number;
      };
      responses: {
        200: {
          registration: {
            id: number;
            userId: number;
            unitId: number;
            unitName: string;
            personName: string;
            gender: string;
            genderLabel: string;
            birthDate: string;
            idNumber: string;
            ethnicity: string;
            politicalStatus: string;
            politicalStatusLabel: string;
            origin: string;
            originLabel: string;
            education: string;
            educationLabel: string;
            category: string;
            categoryLabel: string;
            titleKind: string;
            titleKindLabel: string;
            level: string | null;
            levelLabel: string | null;
            series: string | null;
            seriesLabel: string | null;
            titleName: string | null;
            certificateName: string | null;
            status: 'draft' | 'reviewing' | 'returned' | 'approved' | 'rejected';
            statusLabel: string;
            auditPath: Array<{
              unitId: number;
              name: string;
            }>;
            currentUnitId: number | null;
            currentUnitName: string | null;
            returnReason: string | null;
            returnCount: number;
            rejectReason: string | null;
            instanceId: string | null;
            version: number;
            reviewable: boolean;
            submittedAt: string | null;
            decidedAt: string | null;
            updatedAt: string;
          } | null;
          account: {
            displayName: string;
            idNumber: string | null;
            unitName: string | null;
          };
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/talents/mine/submit': {
    /** 提交审核（由本单位审核，逐级到本地人社部门） */
    post: {
      responses: {
        200: {
          registration: {
            id: number;
            userId: number;
            unitId: number;
            unitName: string;
            personName: string;
            gender: string;
            genderLabel: string;
            birthDate: string;
            idNumber: string;
            ethnicity: string;
            politicalStatus: string;
            politicalStatusLabel: string;
            origin: string;
            originLabel: string;
            education: string;
            educationLabel: string;
            category: string;
            categoryLabel: string;
            titleKind: string;
            titleKindLabel: string;
            level: string | null;
            levelLabel: string | null;
            series: string | null;
            seriesLabel: string | null;
            titleName: string | null;
            certificateName: string | null;
            status: 'draft' | 'reviewing' | 'returned' | 'approved' | 'rejected';
            statusLabel: string;
            auditPath: Array<{
              unitId: number;
              name: string;
            }>;
            currentUnitId: number | null;
            currentUnitName: string | null;
            returnReason: string | null;
            returnCount: number;
            rejectReason: string | null;
            instanceId: string | null;
            version: number;
            reviewable: boolean;
            submittedAt: string | null;
            decidedAt: string | null;
            updatedAt: string;
          } | null;
          account: {
            displayName: string;
            idNumber: string | null;
            unitName: string | null;
          };
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/talents/options': {
    /** 专技人才信息的选项：民族、政治面貌、人员身份、学历、专业技术人员类别、职称情况、层级、系列 */
    get: {
      responses: {
        200: {
          genders: Array<{
            value: string;
            label: string;
          }>;
          ethnicities: Array<{
            value: string;
            label: string;
          }>;
          politicalStatuses: Array<{
            value: string;
            label: string;
          }>;
          origins: Array<{
            value: string;
            label: string;
          }>;
          educations: Array<{
            value: string;
            label: string;
          }>;
          categories: Array<{
            value: string;
            label: string;
          }>;
          titleKinds: Array<{
            value: string;
            label: string;
          }>;
          levels: Array<{
            value: string;
            label: string;
          }>;
          series: Array<{
            value: string;
            label: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/talents/pass': {
    /** 批量审核通过（所选的待本单位审核的人员） */
    post: {
      body: {
        ids: number[];
      };
      responses: {
        200: {
          passed: number;
          skipped: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/talents/{id}': {
    /** 专技人才信息详情 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          userId: number;
          unitId: number;
          unitName: string;
          personName: string;
          gender: string;
          genderLabel: string;
          birthDate: string;
          idNumber: string;
          ethnicity: string;
          politicalStatus: string;
          politicalStatusLabel: string;
          origin: string;
          originLabel: string;
          education: string;
          educationLabel: string;
          category: string;
          categoryLabel: string;
          titleKind: string;
          titleKindLabel: string;
          level: string | null;
          levelLabel: string | null;
          series: string | null;
          seriesLabel: string | null;
          titleName: string | null;
          certificateName: string | null;
          status: 'draft' | 'reviewing' | 'returned' | 'approved' | 'rejected';
          statusLabel: string;
          auditPath: Array<{
            unitId: number;
            name: string;
          }>;
          currentUnitId: number | null;
          currentUnitName: string | null;
          returnReason: string | null;
          returnCount: number;
          rejectReason: string | null;
          instanceId: string | null;
          version: number;
          reviewable: boolean;
          submittedAt: string | null;
          decidedAt: string | null;
          updatedAt: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/talents/{id}/pii': {
    /** 查看完整证件号码（列表与详情中为脱敏显示；工作人员每次查看记入操作审计） */
    get: {
      params: {
        id: number;
      };
      query: {
        /** 查看的字段（idNumber 证件号码） */
        field?: 'idNumber';
      };
      responses: {
        200: {
          field: 'idNumber';
          value: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/talents/{id}/review': {
    /** 审核：审核通过（移交上级单位）、退回修改或审核不通过（须填写意见） */
    post: {
      params: {
        id: number;
      };
      body: {
        action: 'pass' | 'return' | 'reject';
        opinion?: string | null;
      };
      responses: {
        200: {
          id: number;
          userId: number;
          unitId: number;
          unitName: string;
          personName: string;
          gender: string;
          genderLabel: string;
          birthDate: string;
          idNumber: string;
          ethnicity: string;
          politicalStatus: string;
          politicalStatusLabel: string;
          origin: string;
          originLabel: string;
          education: string;
          educationLabel: string;
          category: string;
          categoryLabel: string;
          titleKind: string;
          titleKindLabel: string;
          level: string | null;
          levelLabel: string | null;
          series: string | null;
          seriesLabel: string | null;
          titleName: string | null;
          certificateName: string | null;
          status: 'draft' | 'reviewing' | 'returned' | 'approved' | 'rejected';
          statusLabel: string;
          auditPath: Array<{
            unitId: number;
            name: string;
          }>;
          currentUnitId: number | null;
          currentUnitName: string | null;
          returnReason: string | null;
          returnCount: number;
          rejectReason: string | null;
          instanceId: string | null;
          version: number;
          reviewable: boolean;
          submittedAt: string | null;
          decidedAt: string | null;
          updatedAt: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/tasks': {
    /** 我的待办（分页、筛选、排序） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: string;
          name: string;
          processKey: string;
          processName: string;
          processVersion: number;
          stepProcessKey: string;
          elementId: string;
          stepElementId: string;
          formKey: string | null;
          instanceId: string;
          rootInstanceId: string;
          businessKey: string | null;
          summary: Record<string, unknown> | null;
          candidateUnitId: number | null;
          candidateRoles: string[];
          assigneeId: number | null;
          actions: string[];
          status: string;
          createdAt: string;
          dueAt: string | null;
          overdue: boolean;
          dueState?: {
            level: 'overdue' | 'soon';
            label: string;
          } | null;
          completedAt: string | null;
          action: string | null;
          actionLabel: string | null;
          opinion: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/tasks/batch-complete': {
    /** 批量办理：每个任务单独校验与提交，逐条返回结果 */
    post: {
      body: {
        taskIds: string[];
        action: string;
        opinion?: string | null;
        data?: Record<string, unknown>;
      };
      responses: {
        200: {
          results: Array<{
            taskId: string;
            ok: boolean;
            status: number;
            error?: string;
            message?: string;
          }>;
          succeeded: number;
          failed: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/tasks/batch-form': {
    /** 批量办理的表单：所选任务都可选的退回至、都须上传的附件（一次上传，附到每一件） */
    post: {
      body: {
        taskIds: string[];
        action: string;
      };
      responses: {
        200: {
          fields: Array<{
            name: string;
            title: string;
            widget: 'select' | 'file' | 'date';
            required: boolean;
            description?: string;
            options?: Array<{
              value: string;
              label: string;
            }>;
            default?: string;
            accept?: string[];
            maxFiles?: number;
            maxSizeMb?: number;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/tasks/counts': {
    /** 各类待办数量 */
    get: {
      responses: {
        200: Array<{
          id: string;
          processKey: string;
          processName: string;
          elementId: string;
          name: string;
          count: number;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/tasks/done': {
    /** 我的已办 */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: string;
          name: string;
          processKey: string;
          processName: string;
          processVersion: number;
          stepProcessKey: string;
          elementId: string;
          stepElementId: string;
          formKey: string | null;
          instanceId: string;
          rootInstanceId: string;
          businessKey: string | null;
          summary: Record<string, unknown> | null;
          candidateUnitId: number | null;
          candidateRoles: string[];
          assigneeId: number | null;
          actions: string[];
          status: string;
          createdAt: string;
          dueAt: string | null;
          overdue: boolean;
          dueState?: {
            level: 'overdue' | 'soon';
            label: string;
          } | null;
          completedAt: string | null;
          action: string | null;
          actionLabel: string | null;
          opinion: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/tasks/{id}': {
    /** 任务详情：表单定义（JSON Schema）、实例数据、可执行动作与经办流程 */
    get: {
      params: {
        id: string;
      };
      responses: {
        200: {
          task: {
            id: string;
            name: string;
            processKey: string;
            processName: string;
            processVersion: number;
            stepProcessKey: string;
            elementId: string;
            stepElementId: string;
            formKey: string | null;
            instanceId: string;
            rootInstanceId: string;
            businessKey: string | null;
            summary: Record<string, unknown> | null;
            candidateUnitId: number | null;
            candidateRoles: string[];
            assigneeId: number | null;
            actions: string[];
            status: string;
            createdAt: string;
            dueAt: string | null;
            overdue: boolean;
            dueState?: {
              level: 'overdue' | 'soon';
              label: string;
            } | null;
            completedAt: string | null;
            action: string | null;
            actionLabel: string | null;
            opinion: string | null;
          };
          canAct: boolean;
          form: Record<string, unknown> | null;
          actions: Array<{
            key: string;
            label: string;
            opinionRequired: boolean;
          }>;
          instance: {
            id: string;
            processKey: string;
            processName: string;
            processVersion: number;
            status: string;
            businessKey: string | null;
            variables: Record<string, unknown>;
            summary: Record<string, unknown> | null;
          };
          case: {
            id: string;
            processKey: string;
            processName: string;
            status: string;
            businessKey: string | null;
            summary: Record<string, unknown> | null;
            variables: Record<string, unknown>;
          };
          initialData: Record<string, unknown>;
          submissions: Array<{
            formKey: string;
            title: string;
            schema: Record<string, unknown> | null;
            data: Record<string, unknown>;
            elementName: string | null;
            actorName: string | null;
            at: string;
          }>;
          history: Array<{
            id: number;
            instanceId: string;
            type: string;
            elementId: string | null;
            elementName: string | null;
            taskId: string | null;
            actorId: number | null;
            actorName: string | null;
            action: string | null;
            opinion: string | null;
            data: Record<string, unknown> | null;
            createdAt: string;
            actionLabel: string | null;
            unitName: string | null;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/tasks/{id}/claim': {
    /** 认领任务 */
    post: {
      params: {
        id: string;
      };
      responses: {
        200: {
          id: string;
          assigneeId: number | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/tasks/{id}/complete': {
    /** 办理任务（通过 / 退回 / 不通过 / 提交） */
    post: {
      params: {
        id: string;
      };
      body: {
        action: string;
        opinion?: string | null;
        data?: Record<string, unknown>;
      };
      responses: {
        200: {
          task: {
            id: string;
            status: string;
            action: string | null;
            actionLabel: string | null;
          };
          instance: {
            id: string;
            status: string;
          };
          nextTasks: Array<{
            id: string;
            instanceId: string;
            elementId: string;
            name: string;
            candidateUnitId: number | null;
            assigneeId: number | null;
          }>;
          case: {
            id: string;
            status: string;
            endedAt: string | null;
            waitingFor: string[];
          };
          next: Array<{
            taskId: string;
            name: string;
            elementId: string;
            holder: string | null;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/tasks/{id}/unclaim': {
    /** 取消认领 */
    post: {
      params: {
        id: string;
      };
      responses: {
        200: {
          id: string;
          assigneeId: number | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
        500: components['schemas']['ApiError'];
      };
    };
  };
  '/api/title-recognitions': {
    /** 职称确认审核列表（默认：待本单位审核的） */
    get: {
      query: {
        pending?: 'true' | 'false';
        status?: 'reviewing' | 'returned' | 'confirmed' | 'rejected';
        series?: 'engineering' | 'agriculture' | 'health' | 'school_teacher' | 'vocational_teacher' | 'university_teacher' | 'economics' | 'accounting' | 'statistics' | 'auditing' | 'journalism' | 'publishing' | 'translation' | 'arts' | 'library' | 'museum' | 'archives' | 'crafts' | 'technical_school_teacher' | 'sports' | 'lab' | 'research' | 'social_work' | 'mass_culture';
        level?: 'senior_full' | 'senior_deputy' | 'intermediate' | 'junior';
        q?: string;
      };
      responses: {
        200: Array<{
          id: number;
          personName: string;
          idNumber: string;
          unitId: number;
          unitName: string;
          series: string;
          seriesLabel: string;
          specialty: string;
          titleName: string;
          level: string;
          levelLabel: string;
          acquisition: string;
          acquisitionLabel: string;
          originalBody: string;
          obtainedDate: string;
          originalDocumentNo: string;
          certificateFileId: string;
          qualificationFileId: string;
          reason: string;
          status: 'reviewing' | 'returned' | 'confirmed' | 'rejected';
          statusLabel: string;
          auditPath: Array<{
            unitId: number;
            name: string;
          }>;
          confirmUnitId: number;
          confirmUnitName: string;
          currentUnitId: number | null;
          currentUnitName: string | null;
          returnReason: string | null;
          returnCount: number;
          rejectReason: string | null;
          approvalDate: string | null;
          documentNo: string | null;
          certificateId: number | null;
          certificateNo: string | null;
          taskId: string | null;
          confirming: boolean;
          submittedAt: string;
          decidedAt: string | null;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/title-recognitions/options': {
    /** 申请表的选项：职称系列、层级、取得方式 */
    get: {
      responses: {
        200: {
          series: Array<{
            value: string;
            label: string;
          }>;
          levels: Array<{
            value: string;
            label: string;
          }>;
          acquisitions: Array<{
            value: string;
            label: string;
          }>;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/title-recognitions/pass': {
    /** 批量通过（确认单位的通过须逐条填写文号，不在此批量） */
    post: {
      body: {
        ids: number[];
        taskIds?: string[];
      };
      responses: {
        200: {
          done: number;
          skipped: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/title-recognitions/return': {
    /** 批量退回申请人 */
    post: {
      body: {
        ids: number[];
        taskIds?: string[];
        /** 退回原因 */
        reason: string;
      };
      responses: {
        200: {
          done: number;
          skipped: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/title-recognitions/{id}': {
    /** 职称确认申请详情（审核单位） */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          personName: string;
          idNumber: string;
          unitId: number;
          unitName: string;
          series: string;
          seriesLabel: string;
          specialty: string;
          titleName: string;
          level: string;
          levelLabel: string;
          acquisition: string;
          acquisitionLabel: string;
          originalBody: string;
          obtainedDate: string;
          originalDocumentNo: string;
          certificateFileId: string;
          qualificationFileId: string;
          reason: string;
          status: 'reviewing' | 'returned' | 'confirmed' | 'rejected';
          statusLabel: string;
          auditPath: Array<{
            unitId: number;
            name: string;
          }>;
          confirmUnitId: number;
          confirmUnitName: string;
          currentUnitId: number | null;
          currentUnitName: string | null;
          returnReason: string | null;
          returnCount: number;
          rejectReason: string | null;
          approvalDate: string | null;
          documentNo: string | null;
          certificateId: number | null;
          certificateNo: string | null;
          taskId: string | null;
          confirming: boolean;
          submittedAt: string;
          decidedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
    /** 删除申请（职称确认记录不能删除：409） */
    delete: {
      params: {
        id: number;
      };
      responses: {
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/title-recognitions/{id}/pii': {
    /** 查看完整身份证号码（审核列表与详情中为脱敏显示；每次查看记入操作审计；不在本单位审核范围内：404） */
    get: {
      params: {
        id: number;
      };
      query: {
        /** 查看的字段（idNumber 身份证号码） */
        field?: 'idNumber';
      };
      responses: {
        200: {
          field: 'idNumber';
          value: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/title-recognitions/{id}/review': {
    /** 审核：通过（确认单位须填批准时间和文号）、退回申请人（须填原因）或不通过 */
    post: {
      params: {
        id: number;
      };
      body: {
        /** 审核结果 */
        action: 'pass' | 'return' | 'reject';
        reason?: string | null;
        /** 批准时间 */
        approvalDate?: string | null;
        /** 确认文号 */
        documentNo?: string | null;
        taskId?: string;
      };
      responses: {
        200: {
          id: number;
          personName: string;
          idNumber: string;
          unitId: number;
          unitName: string;
          series: string;
          seriesLabel: string;
          specialty: string;
          titleName: string;
          level: string;
          levelLabel: string;
          acquisition: string;
          acquisitionLabel: string;
          originalBody: string;
          obtainedDate: string;
          originalDocumentNo: string;
          certificateFileId: string;
          qualificationFileId: string;
          reason: string;
          status: 'reviewing' | 'returned' | 'confirmed' | 'rejected';
          statusLabel: string;
          auditPath: Array<{
            unitId: number;
            name: string;
          }>;
          confirmUnitId: number;
          confirmUnitName: string;
          currentUnitId: number | null;
          currentUnitName: string | null;
          returnReason: string | null;
          returnCount: number;
          rejectReason: string | null;
          approvalDate: string | null;
          documentNo: string | null;
          certificateId: number | null;
          certificateNo: string | null;
          taskId: string | null;
          confirming: boolean;
          submittedAt: string;
          decidedAt: string | null;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/units': {
    /** 单位目录（选择单位用：名称、类型、编号筛选） */
    get: {
      query: {
        sort?: string;
        range?: string;
        filter?: string;
      };
      responses: {
        200: Array<{
          id: number;
          parentId: number | null;
          name: string;
          unitType: string;
          unitTypeName: string;
          adminLevel: string | null;
          regionName: string | null;
          path: string;
          status: string;
        }>;
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/units/{id}': {
    /** 单位目录项 */
    get: {
      params: {
        id: number;
      };
      responses: {
        200: {
          id: number;
          parentId: number | null;
          name: string;
          unitType: string;
          unitTypeName: string;
          adminLevel: string | null;
          regionName: string | null;
          path: string;
          status: string;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
  '/api/working-days': {
    /** 按工作日计算：某日之后第 n 个工作日，或两日之间的工作日数 */
    get: {
      query: {
        from: string;
        add?: number;
        to?: string;
      };
      responses: {
        200: {
          from: string;
          date?: string;
          workingDays?: number;
        };
        400: components['schemas']['ApiError'];
        401: components['schemas']['ApiError'];
        403: components['schemas']['ApiError'];
        404: components['schemas']['ApiError'];
        409: components['schemas']['ApiError'];
      };
    };
  };
}

export interface components {
  schemas: {
    ApiError: {
      error: string;
      message: string;
      details?: unknown;
    };
  };
}

type Responses<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R } ? R : never;

/** What a successful call answers (its 200, 201 or 204). */
export type ApiResponse<P extends keyof paths, M extends keyof paths[P] = 'get' & keyof paths[P]> = Responses<P, M>[Extract<keyof Responses<P, M>, 200 | 201 | 204>];
/** The JSON body a call sends. */
export type ApiBody<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { body: infer B } ? B : never;
/** The query parameters of a call. */
export type ApiQuery<P extends keyof paths, M extends keyof paths[P] = 'get' & keyof paths[P]> = paths[P][M] extends { query: infer Q } ? Q : never;
/** The body of every error answer. */
export type ApiError = components['schemas']['ApiError'];
